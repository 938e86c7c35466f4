import { repositoryKey, tagKey } from "../reference/index.js";
import { RegistryError, isRegistryError } from "./errors.js";
import type { Manifest, Registry, RepositoryName, TagDigest } from "./types.js";

/**
 * Which registry hosts answered in this run. A host that timed out or refused the connection is
 * not asked again: its later references fail at once with a retryable `unavailable`. Until a host
 * has answered once, its requests wait for the first one, so a silent host costs one operation's
 * deadline per run, not one per reference.
 */
export interface HostHealth {
  run<T>(host: string, call: () => Promise<T>): Promise<T>;
}

export function createHostHealth(): HostHealth {
  const down = new Map<string, RegistryError>();
  const answered = new Set<string>();
  const probing = new Map<string, Promise<void>>();
  return {
    async run(host, call) {
      for (;;) {
        const failure = down.get(host);
        if (failure) throw notAskedAgain(host, failure);
        if (answered.has(host)) return call();
        const probe = probing.get(host);
        if (!probe) break;
        await probe;
      }
      const attempt = call();
      probing.set(
        host,
        attempt
          .then(
            () => void answered.add(host),
            (error: unknown) => {
              if (isHostDown(error)) down.set(host, error);
              else answered.add(host);
            },
          )
          .finally(() => probing.delete(host)),
      );
      return attempt;
    },
  };
}

/** A connection that failed or timed out (no HTTP status): the host, not the image, is the problem. */
function isHostDown(error: unknown): error is RegistryError {
  return isRegistryError(error) && error.kind === "unavailable" && error.status === null;
}

function notAskedAgain(host: string, failure: RegistryError): RegistryError {
  return new RegistryError({
    kind: "unavailable",
    retryable: true,
    url: failure.url,
    message: `${host} was not asked again in this run: ${failure.message}`,
  });
}

export interface MemoizeOptions {
  /** Shared by the views of one run (the App has one per credential scope); default: the view's own. */
  readonly hosts?: HostHealth;
}

/**
 * A per-run view of a registry: each unique (registry, repository, tag) is resolved once,
 * each tag list and manifest fetched once, failures included (a failed lookup is not retried
 * within the run), and a host that is down is not asked again (see HostHealth). Make a new view
 * for every cycle so the next cycle sees moved tags.
 */
export function memoizeRegistry(registry: Registry, options: MemoizeOptions = {}): Registry {
  const hosts = options.hosts ?? createHostHealth();
  const tags = new Map<string, Promise<TagDigest>>();
  const lists = new Map<string, Promise<string[]>>();
  const manifests = new Map<string, Promise<Manifest>>();
  const configured = new Map<string, Promise<Manifest>>();
  const once = <T>(cache: Map<string, Promise<T>>, key: string, repo: RepositoryName, load: () => Promise<T>) => {
    let pending = cache.get(key);
    if (!pending) {
      pending = hosts.run(repo.registry, load);
      // The cached promise is awaited later; mark it handled so an early failure is not "unhandled".
      pending.catch(() => undefined);
      cache.set(key, pending);
    }
    return pending;
  };
  const openBlob = registry.openBlob?.bind(registry);
  const withConfig = registry.getManifestWithConfig?.bind(registry);
  return {
    resolveTag: (repo, tag) => once(tags, tagKey(repo, tag), repo, () => registry.resolveTag(repo, tag)),
    getManifest: (repo, digest) =>
      once(manifests, `${repositoryKey(repo)}@${digest}`, repo, () => registry.getManifest(repo, digest)),
    // A copy each time so one caller's edits cannot reach another.
    listTags: (repo) => once(lists, repositoryKey(repo), repo, () => registry.listTags(repo)).then((list) => [...list]),
    ...(withConfig
      ? {
          getManifestWithConfig: (repo: RepositoryName, digest: string) =>
            once(configured, `${repositoryKey(repo)}@${digest}`, repo, () => withConfig(repo, digest)),
        }
      : {}),
    // A stream is read once: blobs are not memoized, but a host that is down is not asked.
    ...(openBlob ? { openBlob: (repo, digest, o) => hosts.run(repo.registry, () => openBlob(repo, digest, o)) } : {}),
  };
}
