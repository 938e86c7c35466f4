import { defaultRetryPolicy, jobKey, retryAt, startable, type RetryPolicy } from "./pending.js";
import { createSerial, type Serial } from "./serial.js";
import type { QueueTable, QueuedWork, RepoJob, WorkQueue } from "./types.js";
import { createWriteTurns, type WriteTurn, type WriteTurns } from "./write-turns.js";

export interface QueueLog {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface WorkQueueOptions {
  /** Where waiting work is kept (the store's queue table), so a restart loses none. */
  readonly table: QueueTable;
  /** Scans one repository, writing only once `turn` allows; a rejection is a failure, retried by `retry`. */
  readonly run: (job: RepoJob, turn: WriteTurn) => Promise<void>;
  /** Whose writes go first: default jobs in start order (see write-turns.ts); `freeWrites` where writes are not paced. */
  readonly writeTurns?: WriteTurns;
  /** Repositories worked on at once (default 4). */
  readonly concurrency?: number;
  readonly retry?: RetryPolicy;
  /** How often the table is read for work this process did not queue itself (default 30 s). */
  readonly pollMs?: number;
  readonly now?: () => number;
  /** The per-repository lock the App's other work shares (default: the queue's own). */
  readonly exclusive?: Serial;
  readonly log: QueueLog;
}

/**
 * The embedded queue. The table is the truth: a job is written before `enqueue` resolves and
 * leaves it only when done (or given up); a change that arrives while its repository runs bumps
 * the row's version, so the row stays and runs again (the running scan may have read the
 * repository before the change). At most `concurrency` jobs run, one per repository, inside
 * `exclusive`, which the App's webhook, command and schedule work share.
 */
export function createWorkQueue(options: WorkQueueOptions): WorkQueue {
  const { table, run, log } = options;
  const concurrency = options.concurrency ?? 4;
  const policy = options.retry ?? defaultRetryPolicy;
  const now = options.now ?? Date.now;
  const exclusive = options.exclusive ?? createSerial();
  const turns = options.writeTurns ?? createWriteTurns();
  const running = new Map<string, Promise<void>>();
  const retries = new Set<NodeJS.Timeout>();
  const idlers: (() => void)[] = [];
  let poller: NodeJS.Timeout | null = null;
  let started = false;
  let stopping = false;
  let reading: Promise<void> | null = null;
  let readAgain = false;

  const finish = async (work: QueuedWork, error: unknown): Promise<void> => {
    const key = jobKey(work);
    if (error === null) {
      await table.complete(work);
      return;
    }
    const at = retryAt(work, now(), policy);
    if (at === null) {
      log.error({ repo: key, attempts: work.attempts + 1, error: String(error) }, "queue: job failed; giving up");
      await table.complete(work);
      return;
    }
    log.warn(
      { repo: key, attempts: work.attempts + 1, error: String(error) },
      "queue: job failed; it runs again later",
    );
    await table.retry(work, at);
    wakeAt(at);
  };

  /** Reads the table again at `at` (a timer may fire a little early: then it waits the rest). */
  const wakeAt = (at: number): void => {
    const timer = setTimeout(
      () => {
        retries.delete(timer);
        if (now() < at) wakeAt(at);
        else pump();
      },
      Math.max(0, at - now()),
    );
    timer.unref();
    retries.add(timer);
  };

  const start = (work: QueuedWork): void => {
    const key = jobKey(work);
    const job: RepoJob = {
      installationId: work.installationId,
      owner: work.owner,
      repo: work.name,
      reason: work.reason,
      seenAt: work.firstSeenAt,
    };
    const done = exclusive(key, async () => {
      // The turn is taken once the repository is ours: a job waiting for its lock holds up no one.
      const turn = turns.take();
      try {
        await run(job, turn);
      } finally {
        turn.done();
      }
    })
      .then(
        () => finish(work, null),
        (error: unknown) => finish(work, error ?? "failed"),
      )
      .catch((error: unknown) =>
        log.error({ repo: key, error: String(error) }, "queue: the table could not be updated"),
      )
      .finally(() => {
        running.delete(key);
        pump();
      });
    running.set(key, done);
  };

  /** Reads what is due and starts it; one read at a time, another right after when asked meanwhile. */
  function pump(): void {
    if (!started || stopping) return;
    if (reading) {
      readAgain = true;
      return;
    }
    reading = (async () => {
      do {
        readAgain = false;
        const slots = concurrency - running.size;
        if (slots <= 0) break;
        const due = await table.due(now(), slots + running.size);
        for (const work of startable(due, new Set(running.keys()), slots)) start(work);
        if (due.length === 0 && running.size === 0 && retries.size === 0)
          for (const resolve of idlers.splice(0)) resolve();
      } while (readAgain && !stopping);
    })()
      .catch((error: unknown) => log.error({ error: String(error) }, "queue: the table could not be read"))
      .finally(() => (reading = null));
  }

  return {
    async enqueue(job) {
      await table.enqueue({
        installationId: job.installationId,
        owner: job.owner,
        name: job.repo,
        reason: job.reason,
        firstSeenAt: job.seenAt,
      });
      pump();
    },
    exclusive,
    async start() {
      started = true;
      poller = setInterval(pump, options.pollMs ?? 30_000);
      poller.unref();
      pump();
    },
    async stop() {
      stopping = true;
      if (poller) clearInterval(poller);
      for (const timer of retries) clearTimeout(timer);
      retries.clear();
      await reading;
      await Promise.all(running.values());
    },
    idle() {
      return new Promise((resolve) => {
        idlers.push(resolve);
        pump();
      });
    },
  };
}
