import type { Enqueue, PendingWork, RepoKey, TagRef, TagUse, TagUser, WatchedTag } from "./types.js";

/**
 * The reverse index (SPEC 11): which repositories and files use each unique (registry, repository,
 * tag). Every scan replaces its repository's rows, so a file that stopped using a tag stops counting.
 */
export interface UsageIndex {
  /** Replaces what one repository uses with `uses` (one scan's answer; empty: it uses nothing). */
  replace(repo: RepoKey, uses: readonly TagUse[]): Promise<void>;
  /** The repositories that use `tag`, with their files. */
  usersOf(tag: TagRef): Promise<TagUser[]>;
  /** Every tag some repository uses, with the digest last recorded for it. */
  watched(): Promise<WatchedTag[]>;
  /**
   * Records the digest a tag points at now (the watch loop, after a fan-out). Scans record a tag's
   * digest only when none is known: a scan of one repository must not hide a move from the others.
   */
  recordDigest(tag: TagRef, digest: string, at: number): Promise<void>;
}

/**
 * Pending work per repository (the queue's persistence). A repository is queued once: enqueueing it
 * again keeps one row, the earliest `firstSeenAt`, and bumps `version`, so work that arrived while a
 * job ran is not lost when that job completes.
 */
export interface WorkQueueStore {
  /** True when the repository was not queued yet. */
  enqueue(work: Enqueue): Promise<boolean>;
  /** Work whose `notBefore` has come, oldest upstream change first; `limit` rows at most. */
  due(now: number, limit: number): Promise<PendingWork[]>;
  /** The job failed: try again not before `notBefore`, one attempt more. */
  retry(work: PendingWork, notBefore: number): Promise<void>;
  /** The job is done: removed, unless more work arrived since it was read (then it stays queued; false). */
  complete(work: PendingWork): Promise<boolean>;
}

/** Everything repin must remember (SPEC 12), one interface for the SQLite and PostgreSQL backends. */
export interface Store {
  /** Where it lives, for the start line and errors (a file path, `:memory:`, a database URL without secrets). */
  readonly location: string;
  readonly usages: UsageIndex;
  readonly queue: WorkQueueStore;
  close(): Promise<void>;
}
