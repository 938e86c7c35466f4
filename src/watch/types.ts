import type { Registry } from "../registry/index.js";

/** One unique tag upstream, as the reverse index names it (`docker.io`, `library/node`, `22`). */
export interface TagRef {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
}

/** A repository that uses a tag. */
export interface TagUser {
  readonly installationId: number;
  /** The installation's account: it decides the credential scope (SPEC 10). */
  readonly owner: string;
  readonly name: string;
}

/** A tag some repository uses, with the digest repin last recorded for it (null: none yet). */
export interface WatchedTag extends TagRef {
  readonly digest: string | null;
}

/** The reverse index as the watch loop reads it (src/store's `UsageIndex` has this shape). */
export interface TagIndex {
  watched(): Promise<WatchedTag[]>;
  /** One tag as `watched` lists it; null when no repository uses it. */
  digestOf(tag: TagRef): Promise<WatchedTag | null>;
  usersOf(tag: TagRef): Promise<TagUser[]>;
  /** The repositories with a file pinning `tag` at a digest other than `digest`. */
  pinnedBehind(tag: TagRef, digest: string): Promise<TagUser[]>;
  recordDigest(tag: TagRef, digest: string, at: number): Promise<void>;
}

/** Fresh registry views, one per credential scope (src/registry's `RegistryViews`). */
export interface ScopedRegistry {
  forAccount(login: string): Registry;
}

/** How the watch enqueues a repository (src/queue's `WorkQueue.enqueue`). */
export type Enqueue = (job: {
  readonly installationId: number;
  readonly owner: string;
  readonly repo: string;
  readonly reason: string;
  readonly seenAt: number;
}) => Promise<void>;

/** The one entry point of every upstream trigger: a hint that `tag` may have moved, first seen at `seenAt` (ms). */
export type Hint = (tag: TagRef, seenAt: number) => void;

export interface WatchLog {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}
