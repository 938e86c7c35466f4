import { EventEmitter } from "node:events";
import { Logger, makeWorkerUtils, run, runMigrations, type Runner, type Task, type WorkerUtils } from "graphile-worker";
import type pg from "pg";
import { jobKey } from "./pending.js";
import { advisoryKey, LOCK_SPACES, pgExclusive, withAdvisoryLock } from "./pg-locks.js";
import { createRecovery } from "./pg-recovery.js";
import type { Serial } from "./serial.js";
import type { RepoJob, WorkQueue } from "./types.js";
import type { QueueLog } from "./work-queue.js";

/** graphile-worker's task for one repository's rescan. */
export const REPOSITORY_TASK = "repin.repository";

export interface PgWorkQueueOptions {
  /** The pool graphile-worker and the locks use (its own, not the store's). */
  readonly pool: pg.Pool;
  /** Scans one repository; a rejection is a failure, retried with graphile-worker's backoff. */
  readonly run: (job: RepoJob) => Promise<void>;
  /** Repositories worked on at once by this replica (default 4). */
  readonly concurrency?: number;
  /** Runs in all before a job counts as failed for good (default 5; graphile-worker waits e^n s between them). */
  readonly maxAttempts?: number;
  /** How often a replica looks for jobs a dead replica held (ms; default 5000); such jobs run again at once. */
  readonly recoverEveryMs?: number;
  /** The per-repository lock across replicas; default one over `pool`. */
  readonly exclusive?: Serial;
  readonly log: QueueLog;
}

/** A job that failed every attempt: the repository, its last error, when (the dashboard and metrics read these). */
export interface FailedJob {
  readonly repository: string;
  readonly attempts: number;
  readonly lastError: string;
  readonly failedAt: number;
}

export interface PgWorkQueue extends WorkQueue {
  /** Jobs that failed every attempt (kept until the repository is queued again). */
  failed(): Promise<FailedJob[]>;
}

/** What one queued entry carries; a job's payload is a list of them, merged by graphile-worker per key. */
interface Entry {
  readonly installationId: number;
  readonly owner: string;
  readonly repo: string;
  readonly reason: string;
  readonly seenAt: number;
}

/**
 * The work queue on PostgreSQL (SPEC 12), on graphile-worker: a job per repository under the key
 * `repo:<owner/name>` (queued again while it waits, graphile-worker appends the entry to the job's
 * list payload, so the earliest `seenAt` is kept and the first run time too; queued while it runs, a
 * new job follows it), in a named queue per repository (its jobs run one at a time) and inside
 * `exclusive` (an advisory lock, so webhooks and commands on any replica wait for it). A failure is
 * retried with graphile-worker's exponential backoff `maxAttempts` times in all, then kept as failed.
 * A replica killed mid-job: its worker's liveness lock goes with its connection, and another replica
 * hands the job back within `recoverEveryMs` (see pg-recovery.ts).
 */
export function createPgWorkQueue(options: PgWorkQueueOptions): PgWorkQueue {
  const { pool, log } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const exclusive = options.exclusive ?? pgExclusive(pool);
  const events = new EventEmitter() as NonNullable<Parameters<typeof run>[0]["events"]>;
  let runner: Runner | null = null;
  let utils: WorkerUtils | null = null;
  // Listens for this replica's workers from the start: graphile-worker creates them inside run().
  const recovery = createRecovery({ pool, events, task: REPOSITORY_TASK, log });

  const task: Task = async (payload) => {
    const job = merged(payload);
    if (!job) {
      log.warn({ payload }, "queue: a job without a repository; dropped");
      return;
    }
    await exclusive(jobKey({ owner: job.owner, name: job.repo }), () => options.run(job));
  };

  events.on("job:error", ({ job, error }) => {
    const work = merged(job.payload);
    const repo = work ? jobKey({ owner: work.owner, name: work.repo }) : "(unknown)";
    const fields = { repo, attempts: job.attempts, error: String(error) };
    if (job.attempts >= job.max_attempts) log.error(fields, "queue: job failed; giving up");
    else log.warn(fields, "queue: job failed; it runs again later");
  });

  const ready = async (): Promise<WorkerUtils> => {
    // Replicas that start together install graphile-worker's schema one after the other.
    await withAdvisoryLock(pool, advisoryKey(LOCK_SPACES.migrations, "graphile-worker"), () =>
      runMigrations({ pgPool: pool, logger: quiet(log) }),
    );
    utils ??= await makeWorkerUtils({ pgPool: pool, logger: quiet(log) });
    return utils;
  };

  return {
    async enqueue(job) {
      const key = jobKey({ owner: job.owner, name: job.repo });
      const entry: Entry = {
        installationId: job.installationId,
        owner: job.owner,
        repo: job.repo,
        reason: job.reason,
        seenAt: job.seenAt,
      };
      await (utils ?? (await ready())).addJob(REPOSITORY_TASK, [entry], {
        queueName: `repo:${key}`,
        jobKey: `repo:${key}`,
        jobKeyMode: "preserve_run_at",
        maxAttempts,
      });
    },
    exclusive,
    async start() {
      await ready();
      runner = await run({
        pgPool: pool,
        concurrency: options.concurrency ?? 4,
        noHandleSignals: true,
        pollInterval: 1_000,
        taskList: { [REPOSITORY_TASK]: task },
        logger: quiet(log),
        events,
      });
      recovery.start(options.recoverEveryMs ?? 5_000);
    },
    async stop() {
      await runner?.stop();
      runner = null;
      await recovery.stop();
      await utils?.release();
      utils = null;
    },
    async idle() {
      for (;;) {
        const { rows } = await pool.query<{ waiting: number }>(
          `select count(*)::int as waiting from graphile_worker.jobs
           where task_identifier = $1 and (attempts < max_attempts or locked_at is not null)`,
          [REPOSITORY_TASK],
        );
        if ((rows[0]?.waiting ?? 0) === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async failed() {
      const { rows } = await pool.query<{
        queue_name: string | null;
        attempts: number;
        last_error: string;
        updated_at: Date;
      }>(
        `select queue_name, attempts, last_error, updated_at from graphile_worker.jobs
         where task_identifier = $1 and attempts >= max_attempts and locked_at is null and last_error is not null
         order by updated_at`,
        [REPOSITORY_TASK],
      );
      return rows.map((row) => ({
        repository: (row.queue_name ?? "").replace(/^repo:/, ""),
        attempts: row.attempts,
        lastError: row.last_error,
        failedAt: row.updated_at.getTime(),
      }));
    },
  };
}

/** The entries of a job as one RepoJob: the earliest `seenAt`, every distinct reason; null when none reads. */
function merged(payload: unknown): RepoJob | null {
  const entries = (Array.isArray(payload) ? payload : [payload]).filter(isEntry);
  const last = entries.at(-1);
  if (!last) return null;
  return {
    installationId: last.installationId,
    owner: last.owner,
    repo: last.repo,
    reason: [...new Set(entries.map((entry) => entry.reason))].join("; "),
    seenAt: Math.min(...entries.map((entry) => entry.seenAt)),
  };
}

function isEntry(value: unknown): value is Entry {
  const entry = value as Partial<Entry> | null;
  return (
    typeof entry?.installationId === "number" &&
    typeof entry.owner === "string" &&
    typeof entry.repo === "string" &&
    typeof entry.reason === "string" &&
    typeof entry.seenAt === "number"
  );
}

/** graphile-worker's own log: warnings and errors into the App's log, the rest dropped (failed jobs: see job:error). */
function quiet(log: QueueLog): Logger {
  return new Logger(() => (level, message, meta) => {
    if (message.startsWith("Failed task")) return;
    if (level === "error") log.error({ ...meta }, `queue (graphile-worker): ${message}`);
    else if (level === "warning") log.warn({ ...meta }, `queue (graphile-worker): ${message}`);
  });
}
