/** Why a repository was queued: an upstream change the watch loop, a registry event or a feed saw. */
export type JobReason = "watch" | "event" | "advisory" | "webhook" | "schedule";

/** One repository to scan again, and when the change that asks for it was first seen (ms since epoch). */
export interface RepoJob {
  readonly installationId: number;
  readonly owner: string;
  readonly repo: string;
  readonly reason: JobReason;
  readonly seenAt: number;
}

/** A job waiting in the queue: how often it failed and the earliest time it may run again. */
export interface PendingJob extends RepoJob {
  readonly attempts: number;
  readonly notBefore: number;
}

/**
 * Where pending work is kept so a restart loses none (the store's queue table in the App, memory in
 * tests). `put` replaces the job of the same repository; keys are `jobKey`'s.
 */
export interface PendingStore {
  put(job: PendingJob): Promise<void>;
  remove(key: string): Promise<void>;
  list(): Promise<PendingJob[]>;
}

/**
 * The work queue (SPEC 11, 12). The embedded one runs in this process; the PostgreSQL queue of
 * the scale-out issue implements the same interface.
 */
export interface WorkQueue {
  /** Queues a repository; one already waiting is not queued twice (the earliest `seenAt` is kept). */
  enqueue(job: RepoJob): Promise<void>;
  /** Runs `work` on one repository (`owner/repo`) after any other work on it, never beside it. */
  exclusive<T>(repository: string, work: () => Promise<T>): Promise<T>;
  /** Takes up the work a previous process left in the store, then runs what is queued. */
  start(): Promise<void>;
  /** Takes no new job; resolves when the running ones are done (waiting ones stay in the store). */
  stop(): Promise<void>;
  /** Resolves when nothing is waiting or running (tests, benchmarks). */
  idle(): Promise<void>;
}
