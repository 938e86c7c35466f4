import { repositoryKey, tagKey } from "../reference/index.js";
import type { Manifest, Registry, TagDigest } from "./types.js";

/**
 * A per-run view of a registry: each unique (registry, repository, tag) is resolved once,
 * each tag list and manifest fetched once, failures included (a failed lookup is not retried
 * within the run). Make a new view for every cycle so the next cycle sees moved tags.
 */
export function memoizeRegistry(registry: Registry): Registry {
  const tags = new Map<string, Promise<TagDigest>>();
  const lists = new Map<string, Promise<string[]>>();
  const manifests = new Map<string, Promise<Manifest>>();
  const once = <T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> => {
    let pending = cache.get(key);
    if (!pending) {
      pending = load();
      // The cached promise is awaited later; mark it handled so an early failure is not "unhandled".
      pending.catch(() => undefined);
      cache.set(key, pending);
    }
    return pending;
  };
  return {
    resolveTag: (repo, tag) => once(tags, tagKey(repo, tag), () => registry.resolveTag(repo, tag)),
    getManifest: (repo, digest) =>
      once(manifests, `${repositoryKey(repo)}@${digest}`, () => registry.getManifest(repo, digest)),
    // A copy each time so one caller's edits cannot reach another.
    listTags: (repo) => once(lists, repositoryKey(repo), () => registry.listTags(repo)).then((list) => [...list]),
    // A stream is read once: blobs pass through unmemoized.
    ...(registry.openBlob ? { openBlob: registry.openBlob.bind(registry) } : {}),
  };
}
