import { afterFailure, defaultRetryPolicy, jobKey, mergeJob, nextDue, runnable, type RetryPolicy } from "./pending.js";
import { createSerial } from "./serial.js";
import type { PendingJob, PendingStore, RepoJob, WorkQueue } from "./types.js";

export interface QueueLog {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface WorkQueueOptions {
  /** Where waiting jobs are kept (the store's queue table), so a restart loses none. */
  readonly pending: PendingStore;
  /** Scans one repository; a rejection is a failure, retried by `retry`. */
  readonly run: (job: RepoJob) => Promise<void>;
  /** Repositories worked on at once (default 4). */
  readonly concurrency?: number;
  readonly retry?: RetryPolicy;
  readonly now?: () => number;
  readonly log: QueueLog;
}

/**
 * The embedded queue: jobs wait in `pending` (written before `enqueue` resolves) and in memory,
 * run at most `concurrency` at once, one at a time per repository (`exclusive`, shared with the
 * App's webhook, command and schedule work), and leave the store only when done or given up.
 * A job that arrives while its repository runs waits for the next run: the running scan may
 * have read the repository before the change.
 */
export function createWorkQueue(options: WorkQueueOptions): WorkQueue {
  const { pending, run, log } = options;
  const concurrency = options.concurrency ?? 4;
  const policy = options.retry ?? defaultRetryPolicy;
  const now = options.now ?? Date.now;
  const exclusive = createSerial();
  const waiting = new Map<string, PendingJob>();
  const running = new Map<string, Promise<void>>();
  const idlers: (() => void)[] = [];
  let started = false;
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;

  const save = (job: PendingJob): Promise<void> =>
    pending.put(job).catch((error: unknown) => {
      // Kept in memory: this process still runs it; only a restart before then would lose it.
      log.error({ repo: jobKey(job), error: String(error) }, "queue: the job could not be stored");
      throw error;
    });

  const forget = async (key: string): Promise<void> => {
    if (waiting.has(key)) return; // a newer job replaced it in the store
    await pending.remove(key).catch((error: unknown) => {
      log.error({ repo: key, error: String(error) }, "queue: a finished job could not be removed; it will run again");
    });
  };

  const settle = async (job: PendingJob, error: unknown): Promise<void> => {
    const key = jobKey(job);
    const next = afterFailure(job, now(), policy);
    if (next === null) {
      log.error({ repo: key, attempts: job.attempts + 1, error: String(error) }, "queue: job failed; giving up");
      return forget(key);
    }
    log.warn({ repo: key, attempts: next.attempts, error: String(error) }, "queue: job failed; it runs again later");
    const newer = waiting.get(key);
    const retried = newer ? mergeJob(next, newer, now()) : next;
    waiting.set(key, retried);
    await save(retried).catch(() => undefined);
  };

  const start = (job: PendingJob): void => {
    const key = jobKey(job);
    waiting.delete(key);
    const done = exclusive(key, () => run(job))
      .then(
        () => forget(key),
        (error: unknown) => settle(job, error),
      )
      .finally(() => {
        running.delete(key);
        pump();
      });
    running.set(key, done);
  };

  function pump(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!started || stopping) return;
    const at = now();
    for (const job of runnable(waiting.values(), new Set(running.keys()), at, concurrency - running.size)) start(job);
    const due = nextDue(waiting.values(), at);
    if (due !== null) timer = setTimeout(pump, due - at).unref();
    if (waiting.size === 0 && running.size === 0) for (const resolve of idlers.splice(0)) resolve();
  }

  return {
    async enqueue(job) {
      const key = jobKey(job);
      const merged = mergeJob(waiting.get(key), job, now());
      waiting.set(key, merged);
      try {
        await save(merged);
      } finally {
        pump();
      }
    },
    exclusive,
    async start() {
      for (const job of await pending.list()) {
        const key = jobKey(job);
        waiting.set(key, waiting.has(key) ? mergeJob(job, waiting.get(key)!, job.notBefore) : job);
      }
      started = true;
      pump();
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await Promise.all(running.values());
    },
    idle() {
      if (waiting.size === 0 && running.size === 0) return Promise.resolve();
      return new Promise((resolve) => idlers.push(resolve));
    },
  };
}

/** Pending jobs in memory: for tests, and for a process told to keep nothing. */
export function memoryPendingStore(): PendingStore & { readonly jobs: Map<string, PendingJob> } {
  const jobs = new Map<string, PendingJob>();
  return {
    jobs,
    put: async (job) => void jobs.set(jobKey(job), job),
    remove: async (key) => void jobs.delete(key),
    list: async () => [...jobs.values()],
  };
}
