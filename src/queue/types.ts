/** One repository to scan again, and when the upstream change that asks for it was first seen (ms since epoch). */
export interface RepoJob {
  readonly installationId: number;
  readonly owner: string;
  readonly repo: string;
  /** Why, for logs: `tag <registry>/<repository>:<tag> moved`, `advisory feeds changed`, … */
  readonly reason: string;
  readonly seenAt: number;
}

/** A row of the queue table: one per repository; `version` goes up when more work arrives while it waits or runs. */
export interface QueuedWork {
  readonly installationId: number;
  readonly owner: string;
  readonly name: string;
  readonly reason: string;
  readonly firstSeenAt: number;
  readonly attempts: number;
  readonly notBefore: number;
  readonly version: number;
}

/**
 * Where waiting work is kept so a restart loses none: the store's queue table (src/store's
 * `WorkQueueStore` has this shape), memory in tests of the queue alone.
 */
export interface QueueTable {
  /** Queues a repository once: again, it keeps one row with the earliest `firstSeenAt`, its version up; true when new. */
  enqueue(work: {
    readonly installationId: number;
    readonly owner: string;
    readonly name: string;
    readonly reason: string;
    readonly firstSeenAt: number;
  }): Promise<boolean>;
  /** Rows whose `notBefore` has come, oldest upstream change first, `limit` at most. */
  due(now: number, limit: number): Promise<QueuedWork[]>;
  /** The job failed: one attempt more, not before `notBefore`. */
  retry(work: QueuedWork, notBefore: number): Promise<void>;
  /** The job is done: the row goes, unless more work arrived since it was read (false). */
  complete(work: QueuedWork): Promise<boolean>;
}

/**
 * The work queue (SPEC 11, 12). The embedded one runs in this process over the store's table; the
 * PostgreSQL queue of the scale-out issue implements the same interface.
 */
export interface WorkQueue {
  /** Queues a repository; one already waiting is not queued twice (the earliest `seenAt` is kept). */
  enqueue(job: RepoJob): Promise<void>;
  /** Runs `work` on one repository (`owner/repo`) after any other work on it, never beside it. */
  exclusive<T>(repository: string, work: () => Promise<T>): Promise<T>;
  /** Takes up the work a previous process left in the table, then runs what is queued. */
  start(): Promise<void>;
  /** Takes no new job; resolves when the running ones are done (waiting ones stay in the table). */
  stop(): Promise<void>;
  /** Resolves when nothing is due, waiting for a retry or running (tests, benchmarks). */
  idle(): Promise<void>;
}
