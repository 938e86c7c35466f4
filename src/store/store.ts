import type { Inventory } from "../inventory/index.js";
import type { BlobContent, DashboardRecord, ListingPage, RepoRecord } from "./records.js";
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
  /** One tag as `watched` lists it; null when no repository uses it. */
  digestOf(tag: TagRef): Promise<WatchedTag | null>;
  /** The repositories with a file that pins `tag` at a digest other than `digest` (behind it), with those files. */
  pinnedBehind(tag: TagRef, digest: string): Promise<TagUser[]>;
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

/** Repositories as last read, by lower-case `owner/name`. */
export interface RepositoryStore {
  get(key: string): Promise<RepoRecord | undefined>;
  put(key: string, record: RepoRecord): Promise<void>;
  /** Records the fingerprint of the plan last reconciled (null: reconcile next time). */
  settle(key: string, fingerprint: string | null): Promise<void>;
}

/** File contents by blob SHA (a SHA names its content, so an entry never changes). */
export interface BlobStore {
  get(shas: readonly string[]): Promise<Map<string, BlobContent>>;
  put(sha: string, content: BlobContent): Promise<void>;
}

/** minimumAge's clocks: when repin first saw each new digest (`<registry>/<repository>@<digest>`) or tag. */
export interface FirstSeenStore {
  get(sightings: readonly string[]): Promise<Map<string, number>>;
  /** Keeps the first time of each; a sighting already known keeps its time. */
  record(sightings: ReadonlyMap<string, number>): Promise<void>;
}

/** Small records by key, as JSON. */
export interface Remembered<T> {
  get(key: string): Promise<T | undefined>;
  put(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Keys seen within a time (delivery ids, refusals). */
export interface Recent {
  /** True when `key` was not seen within the time; records it either way it is new. */
  first(key: string, now: number): Promise<boolean>;
  /** Lets `key` count as new again (a delivery whose handler failed may be redelivered). */
  forget(key: string): Promise<void>;
}

/** An advisory feed's last copy and its validators (SPEC 12: feed ETags), by URL. */
export interface FeedCopy {
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly body: string;
}

export interface FeedCopyStore {
  get(url: string): Promise<FeedCopy | undefined>;
  put(url: string, copy: FeedCopy): Promise<void>;
}

/** What one `prune` removed. */
export interface PruneReport {
  /** Digests recorded for tags no repository uses any more. */
  readonly tagDigests: number;
  /** Recent keys past their time. */
  readonly recentKeys: number;
}

/** Image inventories by digest (src/inventory's cache, kept). */
export interface InventoryStore {
  get(digest: string): Promise<Inventory | undefined>;
  set(digest: string, inventory: Inventory): Promise<void>;
}

/**
 * Write pacing toward GitHub (SPEC 9): slots for content-creating requests, per installation,
 * handed out atomically so every replica sharing the store keeps to one pace.
 */
export interface WritePacing {
  /** Takes the next slot of `scope`: not before `now`, `intervalMs` after the slot taken before it; its time (ms). */
  take(scope: string, now: number, intervalMs: number): Promise<number>;
}

/** Everything repin must remember (SPEC 12), one interface for the SQLite and PostgreSQL backends. */
export interface Store {
  /** Where it lives, for the start line and errors (a file path, `:memory:`, a database URL without secrets). */
  readonly location: string;
  readonly usages: UsageIndex;
  readonly queue: WorkQueueStore;
  readonly repositories: RepositoryStore;
  readonly blobs: BlobStore;
  readonly firstSeen: FirstSeenStore;
  /** `repin/config` check per repository: `<head sha> <conclusion> <reason hash>`. */
  readonly checks: Remembered<string>;
  /** `<installationId>:<page>` → the installation's repository listing page, with its ETag. */
  readonly listings: Remembered<ListingPage>;
  /** Lower-case `owner/repo` → its dashboard issue as last read or written. */
  readonly dashboards: Remembered<DashboardRecord>;
  /** A bump's (`<image>|<old>|<new>|<platform>`) advisories fixed, as last explained: kept when the registry fails. */
  readonly verdicts: Remembered<readonly string[]>;
  readonly inventories: InventoryStore;
  readonly pacing: WritePacing;
  /** Advisory feeds' last copies with their ETags, so a restart revalidates instead of downloading. */
  readonly feeds: FeedCopyStore;
  /** Keys of `kind` seen within `ttlMs`. */
  recent(kind: string, ttlMs: number): Recent;
  /**
   * Drops what no one will read again, so the store does not grow with time: digests of tags no
   * repository uses any more, recent keys past their time (the time `recent` was given in this
   * process, else RECENT_KEYS_HORIZON_MS).
   */
  prune(now: number): Promise<PruneReport>;
  close(): Promise<void>;
}
