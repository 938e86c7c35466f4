import { createHash } from "node:crypto";
import type pg from "pg";
import { createSerial, type Serial } from "./serial.js";

/**
 * Locks across replicas on one PostgreSQL (SPEC 12), as PostgreSQL advisory locks in the two-integer
 * form (a space, then a key in it), so they never meet graphile-worker's own (one bigint) locks.
 * A session lock lives on one connection: when its process dies, the server drops the connection
 * and the lock with it, so a killed replica never leaves a repository locked.
 */
export const LOCK_SPACES = {
  /** Work on one repository (`owner/name`, lower-case). */
  repository: 0x72706e02,
  /** One replica per tick (the schedule's cycle, the watch tick, feed polls). */
  singleton: 0x72706e03,
  /** A graphile-worker worker of a live replica (by worker id). */
  worker: 0x72706e04,
  /** graphile-worker's schema migrations. */
  migrations: 0x72706e05,
} as const;

/** The two int4 of an advisory lock: the space, and the first 32 bits of the key's SHA-256. */
export function advisoryKey(space: number, key: string): [number, number] {
  return [space | 0, createHash("sha256").update(key).digest().readInt32BE(0)];
}

/** Runs `work` holding a session advisory lock on a dedicated connection, waiting for it as long as it takes. */
export async function withAdvisoryLock<T>(pool: pg.Pool, key: [number, number], work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  const onError = () => (broken = true);
  client.on("error", onError);
  try {
    await client.query("select pg_advisory_lock($1, $2)", key);
    try {
      return await work();
    } finally {
      await client.query("select pg_advisory_unlock($1, $2)", key).catch(() => (broken = true));
    }
  } finally {
    client.removeListener("error", onError);
    // A connection that broke is destroyed: its lock went with it.
    client.release(broken);
  }
}

/**
 * `exclusive` across replicas: work on one repository runs after any other work on it, in this
 * process (a promise chain, so one connection per repository waits at most) and on every replica
 * (an advisory lock keyed by the repository, held on its own connection for the work's duration).
 */
export function pgExclusive(pool: pg.Pool): Serial {
  const local = createSerial();
  return <T>(repository: string, work: () => Promise<T>): Promise<T> => {
    const key = repository.toLowerCase();
    return local(key, () => withAdvisoryLock(pool, advisoryKey(LOCK_SPACES.repository, key), work));
  };
}

/** Claims a tick: true for the first replica to ask for `key` of `name` within `ttlMs` (the store's recent keys). */
export type TickClaim = (name: string, key: string, ttlMs: number) => Promise<boolean>;

/**
 * A tick of periodic work: `name` is what runs (never beside itself on another replica); `slot`
 * names the tick when every replica's clock fires at the same moment (a cron time); without it, a
 * tick within 0.9 × `periodMs` of the last one on any replica is left out (interval clocks that
 * fire at different moments on each replica).
 */
export interface Tick {
  readonly name: string;
  readonly periodMs: number;
  readonly slot?: string;
}

/**
 * Runs periodic work on one replica per tick: unless another replica runs `tick.name` right now
 * (`pg_try_advisory_lock`) or already ran this tick (a claim in the database). False when it was left
 * to another replica.
 */
export type Singleton = (tick: Tick, work: () => Promise<void>) => Promise<boolean>;

export function pgSingleton(pool: pg.Pool, claim: TickClaim): Singleton {
  return async (tick, work) => {
    const client = await pool.connect();
    let broken = false;
    const onError = () => (broken = true);
    client.on("error", onError);
    const key = advisoryKey(LOCK_SPACES.singleton, tick.name);
    try {
      const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1, $2) as locked", key);
      if (!rows[0]?.locked) return false;
      try {
        const ttlMs = tick.slot === undefined ? Math.floor(tick.periodMs * 0.9) : tick.periodMs;
        if (!(await claim(tick.name, tick.slot ?? tick.name, ttlMs))) return false;
        await work();
        return true;
      } finally {
        await client.query("select pg_advisory_unlock($1, $2)", key).catch(() => (broken = true));
      }
    } finally {
      client.removeListener("error", onError);
      client.release(broken);
    }
  };
}

/** One process, one replica: every tick runs here (the embedded default). */
export const localSingleton: Singleton = async (_tick, work) => {
  await work();
  return true;
};
