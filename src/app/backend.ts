import pg from "pg";
import {
  createSerial,
  createWorkQueue,
  freeWrites,
  type QueueLog,
  type RepoJob,
  type Serial,
  type WorkQueue,
  type WriteTurn,
  type WriteTurns,
} from "../queue/index.js";
import { localSingleton, pgExclusive, pgSingleton, type Singleton } from "../queue/pg-locks.js";
import { createPgWorkQueue } from "../queue/pg-queue.js";
import { openStoreDir, type Store } from "../store/index.js";
import { openPostgresStore } from "../store/postgres.js";

/** What the queue runs and reports to; the backend decides where the jobs live. */
export interface QueueSpec {
  readonly run: (job: RepoJob, turn: WriteTurn) => Promise<void>;
  /** Write turns in job start order within this process (the embedded queue; see src/queue/write-turns.ts). */
  readonly writeTurns?: WriteTurns;
  readonly log: QueueLog;
  readonly concurrency?: number;
}

/**
 * Where the App keeps its state and its work (SPEC 12). Embedded (the default): SQLite in
 * `REPIN_DATA_DIR`, the queue in this process over the store's table, locks and ticks in this
 * process. PostgreSQL (`REPIN_DATABASE_URL`): the store in PostgreSQL, the queue on graphile-worker,
 * locks across replicas, each tick on one replica, and the scheduled cycle queues every repository so
 * the replicas share the scans.
 */
export interface Backend {
  readonly kind: "sqlite" | "postgres";
  readonly store: Store;
  /** Work on one repository, never beside other work on it (across replicas on PostgreSQL). */
  readonly exclusive: Serial;
  /** Periodic work on one replica per tick. */
  readonly singleton: Singleton;
  /** The work queue (one per App). */
  queue(spec: QueueSpec): WorkQueue;
  /** True when the scheduled cycle queues repositories for every replica instead of scanning them here. */
  readonly sharesCycle: boolean;
  /** Closes the store and the queue's connections (after the queue stopped). */
  close(): Promise<void>;
}

/** The embedded backend over an opened store (also the tests' default, over `:memory:`). */
export function embeddedBackend(store: Store): Backend {
  const exclusive = createSerial();
  return {
    kind: "sqlite",
    store,
    exclusive,
    singleton: localSingleton,
    queue: (spec) => createWorkQueue({ table: store.queue, exclusive, ...spec }),
    sharesCycle: false,
    close: () => store.close(),
  };
}

/** PostgreSQL at `url`: the store and, on a pool of its own, the queue, the locks and the tick claims. */
export async function postgresBackend(url: string): Promise<Backend> {
  const store = await openPostgresStore(url);
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  // An idle connection the server closed is dropped, not a crash; the work that needed it fails and is retried.
  pool.on("error", () => undefined);
  const exclusive = pgExclusive(pool);
  return {
    kind: "postgres",
    store,
    exclusive,
    singleton: pgSingleton(pool, (name, key, ttlMs) => store.recent(`tick:${name}`, ttlMs).first(key, Date.now())),
    // Replicas share no turns: the pacing in the store orders writes across them.
    queue: ({ run, writeTurns: _, ...spec }) =>
      createPgWorkQueue({ pool, exclusive, ...spec, run: (job) => run(job, freeWrites.take()) }),
    sharesCycle: true,
    async close() {
      await pool.end();
      await store.close();
    },
  };
}

/** `REPIN_DATABASE_URL` (postgres://…) when set, else SQLite in `REPIN_DATA_DIR` (default `./.repin`). */
export function openBackend(env: NodeJS.ProcessEnv): Promise<Backend> {
  const url = env.REPIN_DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url))
      return Promise.reject(new Error("REPIN_DATABASE_URL must be a postgres:// or postgresql:// URL"));
    return postgresBackend(url);
  }
  return openStoreDir(dataDir(env)).then(embeddedBackend);
}

/** REPIN_DATA_DIR (default `./.repin`), created on first start. */
export function dataDir(env: NodeJS.ProcessEnv): string {
  return env.REPIN_DATA_DIR?.trim() || ".repin";
}
