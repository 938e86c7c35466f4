import type { WorkerEvents } from "graphile-worker";
import type pg from "pg";
import { advisoryKey, LOCK_SPACES } from "./pg-locks.js";
import type { QueueLog } from "./work-queue.js";

export interface Recovery {
  /** Starts looking for jobs of dead replicas every `everyMs`. */
  start(everyMs: number): void;
  stop(): Promise<void>;
}

/** Jobs locked at least this long are candidates (a live worker takes its repository's lock well before). */
const GRACE_S = 2;

/**
 * A replica killed mid-job loses nothing. graphile-worker hands a locked job back only after four
 * hours; here each replica holds, for each of its workers, an advisory lock keyed by the worker's id
 * on one connection of its own, which the server drops with the process. Every `everyMs` a replica
 * looks at the locked repository jobs: one whose worker's lock is free (its replica is gone) and whose
 * repository nobody holds is handed back (`force_unlock_workers`) and runs again at once, elsewhere.
 * Reconcile is idempotent, so a rerun makes no duplicate branch, commit, PR or comment.
 */
export function createRecovery(deps: {
  readonly pool: pg.Pool;
  readonly events: WorkerEvents;
  readonly task: string;
  readonly log: QueueLog;
}): Recovery {
  const { pool, log } = deps;
  const mine = new Set<string>();
  let alive: pg.PoolClient | null = null;
  let holding: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let looking: Promise<void> | null = null;

  /** Holds the liveness locks of this replica's workers (again after the connection broke). */
  const hold = (): Promise<void> =>
    (holding = holding
      .then(async () => {
        if (!alive) {
          const client = await pool.connect();
          client.on("error", () => {
            if (alive === client) alive = null;
            client.release(true);
          });
          alive = client;
          for (const id of mine) await client.query("select pg_advisory_lock($1, $2)", workerKey(id));
        }
      })
      .catch((error: unknown) => log.warn({ error: String(error) }, "queue: the liveness lock could not be taken")));

  deps.events.on("worker:create", ({ worker }) => {
    mine.add(worker.workerId);
    const client = alive;
    if (client) holding = holding.then(() => lock(client, worker.workerId)).catch(() => undefined);
    else void hold();
  });
  deps.events.on("worker:release", ({ worker }) => {
    mine.delete(worker.workerId);
    const client = alive;
    if (client)
      holding = holding
        .then(() => client.query("select pg_advisory_unlock($1, $2)", workerKey(worker.workerId)))
        .then(() => undefined)
        .catch(() => undefined);
  });

  const look = async (): Promise<void> => {
    await hold();
    const { rows } = await pool.query<{ locked_by: string; queue_name: string | null }>(
      `select locked_by, queue_name from graphile_worker.jobs
       where task_identifier = $1 and locked_at is not null and locked_at < now() - make_interval(secs => $2)`,
      [deps.task, GRACE_S],
    );
    const byWorker = new Map<string, string[]>();
    for (const row of rows)
      if (!mine.has(row.locked_by))
        byWorker.set(row.locked_by, [...(byWorker.get(row.locked_by) ?? []), row.queue_name ?? ""]);
    for (const [worker, queues] of byWorker) {
      const repositories = queues.map((queue) => queue.replace(/^repo:/, ""));
      if (!(await free(pool, [workerKey(worker), ...repositories.map(repositoryKey)]))) continue;
      await pool.query("select graphile_worker.force_unlock_workers($1::text[])", [[worker]]);
      log.warn({ worker, repositories }, "queue: a replica went away mid-job; its jobs run again");
    }
  };

  return {
    start(everyMs) {
      void hold();
      timer = setInterval(() => {
        looking ??= look()
          .catch((error: unknown) =>
            log.warn({ error: String(error) }, "queue: looking for jobs of dead replicas failed"),
          )
          .finally(() => (looking = null));
      }, everyMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await looking;
      await holding;
      alive?.release();
      alive = null;
    },
  };
}

const workerKey = (id: string) => advisoryKey(LOCK_SPACES.worker, id);
const repositoryKey = (key: string) => advisoryKey(LOCK_SPACES.repository, key);

async function lock(client: pg.PoolClient, id: string): Promise<void> {
  await client.query("select pg_advisory_lock($1, $2)", workerKey(id));
}

/** True when nobody holds any of `keys` now (each is taken and let go at once). */
async function free(pool: pg.Pool, keys: readonly [number, number][]): Promise<boolean> {
  const client = await pool.connect();
  try {
    for (const key of keys) {
      const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1, $2) as locked", key);
      if (!rows[0]?.locked) return false;
      await client.query("select pg_advisory_unlock($1, $2)", key);
    }
    return true;
  } finally {
    client.release();
  }
}
