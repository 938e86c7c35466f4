/** A repository in a registry, normalized: the one `{registry, repository}` type of repin. */
export interface RepositoryName {
  /** Normalized registry host, e.g. "docker.io", "cgr.dev", "localhost:5000". */
  readonly registry: string;
  /** Normalized repository path inside the registry, e.g. "library/python". */
  readonly repository: string;
}

/** An image platform, as in an OCI index or `--platform=linux/arm64/v8`. */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

/**
 * An image reference as written in a file, beside its normalized name.
 * Docker's defaults (docker.io, library/, latest) live in ./normalize.ts only.
 */
export interface ImageReference extends RepositoryName {
  /** The reference text as written (after ARG expansion), digest included. */
  readonly written: string;
  /** The written name without tag or digest, e.g. "python" or "cgr.dev/chainguard/node". */
  readonly name: string;
  /** The tag as written, or null when the text has none (resolving then uses "latest"). */
  readonly tag: string | null;
  /** "sha256:<64 hex>" as written, or null. */
  readonly digest: string | null;
}

export type ReferenceParseResult =
  { readonly ok: true; readonly ref: ImageReference } | { readonly ok: false; readonly reason: string };
