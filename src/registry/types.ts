import type { Platform, RepositoryName } from "../reference/types.js";

/** The names the registry is asked about live in src/reference; re-exported for the client's callers. */
export type { Platform, RepositoryName };

export interface TagDigest {
  /** The top-level digest the registry serves for the tag. */
  readonly digest: string;
  readonly mediaType: string;
  /** What the registry said is left of its rate limit, when it said (the watch loop pauses at 0). */
  readonly rateLimit?: RateLimit;
}

export interface RateLimit {
  readonly remaining: number;
  /** When the limit resets, in ms from the answer; null when not said. */
  readonly resetMs: number | null;
}

export interface IndexChild {
  readonly digest: string;
  readonly mediaType: string;
  readonly platform: Platform | null;
}

/** A manifest fetched by digest; its bytes were hashed and matched the digest. */
export type Manifest =
  | {
      readonly kind: "index";
      readonly digest: string;
      readonly mediaType: string;
      readonly children: readonly IndexChild[];
      /** org.opencontainers.image.created annotation when present. */
      readonly created: string | null;
    }
  | {
      readonly kind: "image";
      readonly digest: string;
      readonly mediaType: string;
      readonly configDigest: string;
      readonly layers: readonly { digest: string; mediaType: string; size: number }[];
      /** From the config blob, when it was read. */
      readonly platform: Platform | null;
      readonly created: string | null;
    };

/** The registry operations the rest of repin depends on. */
export interface Registry {
  resolveTag(repo: RepositoryName, tag: string): Promise<TagDigest>;
  getManifest(repo: RepositoryName, digest: string): Promise<Manifest>;
  listTags(repo: RepositoryName): Promise<string[]>;
  /**
   * Present on a client whose `getManifest` leaves an image's config blob unread (the CLI's): the
   * manifest with the platform and creation time from its config blob, for a decision that needs them.
   */
  getManifestWithConfig?(repo: RepositoryName, digest: string): Promise<Manifest>;
  /**
   * Streams a blob (a layer). The stream checks the bytes against `digest` at its end
   * (`digest-mismatch`) and fails past `maxBytes`. Optional: callers that need layers say so
   * when a registry view lacks it.
   */
  openBlob?(
    repo: RepositoryName,
    digest: string,
    options: { readonly maxBytes: number },
  ): Promise<ReadableStream<Uint8Array> | NodeJS.ReadableStream>;
}

export type RegistryErrorKind =
  | "unauthorized" // 401/403: credentials missing or refused
  | "not-found" // 404: no such repository, tag or manifest
  | "rate-limited" // 429 after retries
  | "unavailable" // 5xx, timeouts, connection errors after retries
  | "digest-mismatch" // the body's hash is not the digest the registry claimed
  | "bad-response" // malformed JSON, missing headers, unsupported media type
  | "insecure-refused" // plain HTTP to a host not allowed to use it
  | "address-refused"; // the App would reach an internal address the operator did not list
