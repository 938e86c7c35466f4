/**
 * What repin remembers, as data. Keys of repositories are `owner/name` lower-cased (GitHub names are
 * case-insensitive); times are milliseconds since the epoch.
 */

/** A repository as the work on it needs it: its installation and its name as GitHub spells it. */
export interface RepoKey {
  readonly installationId: number;
  readonly owner: string;
  readonly name: string;
}

/** One unique tag upstream: `registry` is the host (`docker.io`), `repository` the image path (`library/node`). */
export interface TagRef {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
}

/** One file of a repository that uses a tag; `digest` is what the scan resolved the tag to (null: not resolved). */
export interface TagUse extends TagRef {
  readonly path: string;
  readonly digest: string | null;
  /** The digest the file pins the tag at (`FROM node:22@sha256:…`); null or absent: not pinned. */
  readonly pinned?: string | null;
}

/** A repository that uses a tag, and in which files. */
export interface TagUser extends RepoKey {
  readonly paths: readonly string[];
}

/** A tag some repository uses, with the digest repin last knew for it (null: none known yet). */
export interface WatchedTag extends TagRef {
  readonly digest: string | null;
  /** When that digest was recorded (null with it). */
  readonly recordedAt: number | null;
}

export interface Enqueue extends RepoKey {
  /** Why (e.g. `tag docker.io/library/node:22 moved`, `advisory`), for logs. */
  readonly reason: string;
  /** When the upstream change behind it was first seen (event received, watch tick). */
  readonly firstSeenAt: number;
  /** Not before this time (default: at once). */
  readonly notBefore?: number;
}

/** Work waiting for one repository; `version` goes up each time more work for it arrives while queued. */
export interface PendingWork extends RepoKey {
  readonly reason: string;
  readonly firstSeenAt: number;
  readonly attempts: number;
  readonly notBefore: number;
  readonly version: number;
}
