import type { AddressGuard } from "./address.js";
import { authTransport } from "./auth.js";
import { openBlob } from "./blob.js";
import { dockerConfigKeychain, type Keychain } from "./credentials.js";
import type { CachedTagList, ContentCache } from "./disk-cache.js";
import { RegistryError, errorFromResponse } from "./errors.js";
import { guardedFetch } from "./guarded-fetch.js";
import { parseRateLimit } from "./headers.js";
import { digestOf, isDigest, isImageConfigType, manifestAccept, parseImageConfig, parseManifest } from "./manifest.js";
import { createRedactor } from "./redact.js";
import { retryTransport } from "./retry.js";
import { registryBaseUrl } from "./scheme.js";
import { defaultTagListLimits, readTagList } from "./tags.js";
import { fetchTransport, startDeadline, type HttpResponse, type RequestInfo, type Transport } from "./transport.js";
import type { Manifest, Registry, RepositoryName, TagDigest } from "./types.js";

export interface RegistryOptions {
  /** Default: Docker's config.json (`$DOCKER_CONFIG`, else `~/.docker`). */
  readonly keychain?: Keychain;
  /** Hosts (`host` or `host:port`) allowed to use plain HTTP besides loopback. */
  readonly insecureRegistries?: readonly string[];
  /** Per HTTP request, or without progress on a streamed blob (default 30 s). */
  readonly timeoutMs?: number;
  /** Total time of one operation (resolve a tag, fetch a manifest, read a tag list), retries included (default 2 min). */
  readonly deadlineMs?: number;
  /** Total time of one blob download, from the request to the last byte (default 15 min). */
  readonly blobDeadlineMs?: number;
  /** Retries after the first attempt (default 3). */
  readonly retries?: number;
  /** Whether a request that timed out is retried (default true; the CLI: false, see RetryOptions). */
  readonly retryTimeouts?: boolean;
  /** First backoff wait (default 200 ms); tests make it small. */
  readonly backoffBaseMs?: number;
  /** Cap for backoff and Retry-After waits (default 30 s). */
  readonly maxRetryWaitMs?: number;
  /** Tags per page for tag lists (default 1000). */
  readonly tagPageSize?: number;
  /** Most distinct tags one tag list may have (default 100,000); more is a `bad-response`. */
  readonly maxTags?: number;
  readonly userAgent?: string;
  /** Called after every HTTP exchange (URL redacted), for counting requests. */
  readonly onRequest?: (info: RequestInfo) => void;
  /**
   * The App's: refuse internal addresses (checked on the resolved address, redirects and realms
   * included) except on hosts the operator listed. Unset (the CLI), any address may be reached.
   */
  readonly addressGuard?: AddressGuard;
  /**
   * Manifests and config blobs by digest, and tag lists with their ETag, kept between runs (the
   * CLI's disk cache). Every body read back is checked against its digest before it is used.
   */
  readonly cache?: ContentCache;
  /**
   * `with-manifest` (default, the App: its PR bodies print the creation time): an image manifest
   * comes with its config blob's platform and creation time. `on-demand` (the CLI): the config
   * blob is read only through `getManifestWithConfig`, when a decision needs the platform.
   */
  readonly configBlobs?: "with-manifest" | "on-demand";
}

const maxManifestBytes = 4 * 1024 * 1024;
const manifestCacheSize = 2000;

/** A registry client: fetch → retry → auth per registry host; manifests cached by digest. */
export function createRegistry(options: RegistryOptions = {}): Registry {
  const insecure = options.insecureRegistries ?? [];
  const keychain = options.keychain ?? dockerConfigKeychain();
  const fetchOptions = {
    timeoutMs: options.timeoutMs ?? 30_000,
    insecureRegistries: insecure,
    userAgent: options.userAgent ?? "repin",
    onRequest: options.onRequest,
    ...(options.addressGuard ? { fetch: guardedFetch(options.addressGuard) } : {}),
  };
  const retryOptions = {
    retries: options.retries,
    backoffBaseMs: options.backoffBaseMs,
    maxWaitMs: options.maxRetryWaitMs,
    retryTimeouts: options.retryTimeouts,
  };
  const base = retryTransport(fetchTransport(fetchOptions), retryOptions);
  // Registry text reaches terminals and PRs: every error leaving the client is cleaned (see redact.ts).
  const redactor = createRedactor();
  const transports = new Map<string, Transport>();
  const transportFor = (registry: string): Transport => {
    let transport = transports.get(registry);
    if (!transport) {
      transport = authTransport(base, { registry, keychain, redactor });
      transports.set(registry, transport);
    }
    return transport;
  };
  const manifests = new Map<string, Promise<ParsedImage>>();
  const configured = new Map<string, Promise<Manifest>>();
  const cache = options.cache;
  const deadlineMs = options.deadlineMs ?? 120_000;
  const withDeadline = async <T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const deadline = startDeadline(deadlineMs);
    try {
      return await work(deadline.signal);
    } catch (err) {
      throw redactor.scrub(err);
    } finally {
      deadline.clear();
    }
  };
  const tagLimits = {
    ...defaultTagListLimits,
    pageSize: options.tagPageSize ?? defaultTagListLimits.pageSize,
    maxTags: options.maxTags ?? defaultTagListLimits.maxTags,
  };

  async function get(
    repo: RepositoryName,
    path: string,
    method: "GET" | "HEAD",
    maxBytes: number,
    { accept, signal }: { accept?: string; signal: AbortSignal },
  ): Promise<HttpResponse> {
    const url = new URL(`/v2/${repo.repository}/${path}`, registryBaseUrl(repo.registry, insecure));
    return transportFor(repo.registry)({
      method,
      url,
      maxBytes,
      repository: repo.repository,
      headers: accept ? { accept } : {},
      signal,
    });
  }

  async function fetchVerified(
    repo: RepositoryName,
    path: string,
    digest: string,
    what: string,
    headers: { accept?: string; signal: AbortSignal },
  ): Promise<{ body: Buffer; mediaType: string | null; url: URL }> {
    const cached = await cache?.readContent(repo, digest);
    // A cached body is used only when its bytes are the digest: a corrupt entry is fetched again and overwritten.
    if (cached && digestOf(cached.body, digest) === digest) return { ...cached, url: new URL(path, "cache:/") };
    const response = await get(repo, path, "GET", maxManifestBytes, headers);
    if (response.status !== 200) throw errorFromResponse(response, "GET", response.url, what);
    const actual = digestOf(response.body, digest);
    if (actual !== digest) throw mismatch(response, what, digest);
    const mediaType = response.headers.get("content-type");
    await cache?.writeContent(repo, digest, { mediaType, body: response.body });
    return { body: response.body, mediaType, url: response.url };
  }

  async function loadManifest(repo: RepositoryName, digest: string, signal: AbortSignal): Promise<ParsedImage> {
    const what = `manifest ${repo.repository}@${digest.slice(0, 19)}`;
    if (!isDigest(digest))
      throw new RegistryError({ kind: "bad-response", message: `"${digest.slice(0, 80)}" is not a digest` });
    const response = await fetchVerified(repo, `manifests/${digest}`, digest, what, {
      accept: manifestAccept,
      signal,
    });
    const parsed = parseManifest(response.body, digest, response.mediaType);
    if (!parsed.ok)
      throw new RegistryError({
        kind: "bad-response",
        status: 200,
        method: "GET",
        url: response.url,
        message: `${parsed.reason} (${what} from ${response.url.host})`,
      });
    return { manifest: parsed.manifest, configMediaType: parsed.configMediaType, what };
  }

  /** The image manifest with its config blob's platform and creation time (an index as it is). */
  async function withConfig(repo: RepositoryName, parsed: ParsedImage, signal: AbortSignal): Promise<Manifest> {
    const { manifest, configMediaType, what } = parsed;
    if (manifest.kind === "index" || !isImageConfigType(configMediaType ?? "")) return manifest;
    const configWhat = `config blob of ${what}`;
    const config = await fetchVerified(repo, `blobs/${manifest.configDigest}`, manifest.configDigest, configWhat, {
      signal,
    });
    return { ...manifest, ...parseImageConfig(config.body) };
  }

  /** Digests are immutable, so only size limits these caches: the oldest entry goes first. */
  function remember<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const cached = cache.get(key);
    if (cached) return cached;
    const pending = load();
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
    if (cache.size > manifestCacheSize) cache.delete(cache.keys().next().value!);
    return pending;
  }

  const parsedManifest = (repo: RepositoryName, digest: string): Promise<ParsedImage> =>
    remember(manifests, `${repo.registry}/${repo.repository}@${digest}`, () =>
      withDeadline((signal) => loadManifest(repo, digest, signal)),
    );

  const getManifestWithConfig = (repo: RepositoryName, digest: string): Promise<Manifest> =>
    remember(configured, `${repo.registry}/${repo.repository}@${digest}`, async () => {
      const parsed = await parsedManifest(repo, digest);
      return withDeadline((signal) => withConfig(repo, parsed, signal));
    });

  return {
    resolveTag(repo, tag) {
      return withDeadline((signal) => resolveTag(repo, tag, signal));
    },

    getManifest(repo, digest) {
      if (options.configBlobs !== "on-demand") return getManifestWithConfig(repo, digest);
      return parsedManifest(repo, digest).then((parsed) => parsed.manifest);
    },
    ...(options.configBlobs === "on-demand" ? { getManifestWithConfig } : {}),

    openBlob(repo, digest, blobOptions) {
      return openBlob(transportFor(repo.registry), registryBaseUrl(repo.registry, insecure), repo.repository, digest, {
        ...blobOptions,
        deadlineMs: options.blobDeadlineMs ?? 15 * 60_000,
        scrub: redactor.scrub,
      });
    },

    listTags(repo) {
      const first = new URL(`/v2/${repo.repository}/tags/list`, registryBaseUrl(repo.registry, insecure));
      first.searchParams.set("n", String(tagLimits.pageSize));
      return withDeadline(async (signal) => {
        const cached = (await cache?.readTagList(repo)) ?? null;
        const list = await readTagList(transportFor(repo.registry), first, repo.repository, tagLimits, {
          signal,
          cached,
        });
        if (list.etag !== null && list.etag !== cached?.etag) await cache?.writeTagList(repo, list as CachedTagList);
        return list.tags;
      });
    },
  };

  async function resolveTag(repo: RepositoryName, tag: string, signal: AbortSignal): Promise<TagDigest> {
    const what = `manifest ${repo.repository}:${tag}`;
    const head = await get(repo, `manifests/${encodeURIComponent(tag)}`, "HEAD", 0, { accept: manifestAccept, signal });
    const mediaType = contentType(head);
    const claimed = head.headers.get("docker-content-digest");
    if (head.status === 200 && claimed && isDigest(claimed)) return withRateLimit({ digest: claimed, mediaType }, head);
    // A registry that refuses HEAD (405, 501) is asked with GET, as is one that names no digest.
    if (head.status !== 200 && head.status !== 405 && head.status !== 501)
      throw errorFromResponse(head, "HEAD", head.url, what);
    // The digest comes from the bytes.
    const response = await get(repo, `manifests/${encodeURIComponent(tag)}`, "GET", maxManifestBytes, {
      accept: manifestAccept,
      signal,
    });
    if (response.status !== 200) throw errorFromResponse(response, "GET", response.url, what);
    const header = response.headers.get("docker-content-digest");
    const digest = digestOf(response.body, header ?? "sha256:");
    if (header && header !== digest) throw mismatch(response, what, header);
    return withRateLimit({ digest, mediaType: contentType(response) }, response);
  }
}

/** The answer, with what the registry said is left of its rate limit when it said. */
function withRateLimit(answer: TagDigest, response: HttpResponse): TagDigest {
  const rateLimit = parseRateLimit(response.headers);
  return rateLimit ? { ...answer, rateLimit } : answer;
}

interface ParsedImage {
  readonly manifest: Manifest;
  readonly configMediaType: string | null;
  /** "manifest <repository>@<short digest>", for error messages. */
  readonly what: string;
}

function contentType(response: HttpResponse): string {
  return response.headers.get("content-type")?.split(";")[0]?.trim() ?? "";
}

function mismatch(response: HttpResponse, what: string, claimed: string): RegistryError {
  return new RegistryError({
    kind: "digest-mismatch",
    status: response.status,
    method: "GET",
    url: response.url,
    message: `${what} from ${response.url.host}: body hash is not the digest ${claimed.slice(0, 19)}…`,
  });
}
