import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { pgSingleton, type Singleton } from "../../src/queue/pg-locks.js";
import { openPostgresStore } from "../../src/store/postgres.js";
import { usePostgres } from "../support/postgres/index.js";

const cluster = usePostgres();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A replica's singleton: its own pool, and its own store for the tick claims. */
async function replica(url: string): Promise<Singleton> {
  const pool = new pg.Pool({ connectionString: url });
  const store = await openPostgresStore(url);
  cleanups.push(async () => {
    await pool.end();
    await store.close();
  });
  return pgSingleton(pool, (name, key, ttlMs) => store.recent(`tick:${name}`, ttlMs).first(key, Date.now()));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("one replica per tick", () => {
  it("runs a tick on one of the replicas that ask at once, and again in the next period", async () => {
    const url = await cluster().database();
    const replicas = await Promise.all([replica(url), replica(url), replica(url)]);
    let runs = 0;
    const tick = () =>
      Promise.all(
        replicas.map((singleton) =>
          singleton({ name: "watch", periodMs: 1_000 }, async () => {
            runs++;
            await sleep(100);
          }),
        ),
      );
    expect((await tick()).filter(Boolean)).toHaveLength(1);
    // A replica whose clock ticks a little later in the same period leaves it too.
    expect(await replicas[1]!({ name: "watch", periodMs: 1_000 }, async () => void runs++)).toBe(false);
    expect(runs).toBe(1);
    await sleep(1_000);
    expect((await tick()).filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(2);
  });

  it("never runs a tick beside one still running on another replica, even when its period is over", async () => {
    const url = await cluster().database();
    const [a, b] = await Promise.all([replica(url), replica(url)]);
    let release!: () => void;
    const long = a!({ name: "cycle", periodMs: 200 }, () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(400);
    expect(await b!({ name: "cycle", periodMs: 200 }, async () => undefined)).toBe(false);
    release();
    expect(await long).toBe(true);
    expect(await b!({ name: "cycle", periodMs: 200 }, async () => undefined)).toBe(true);
  });

  it("keeps the names apart: the watch tick does not hold up the feed poll", async () => {
    const url = await cluster().database();
    const [a, b] = await Promise.all([replica(url), replica(url)]);
    expect(await a!({ name: "watch", periodMs: 60_000 }, async () => undefined)).toBe(true);
    expect(await b!({ name: "feeds", periodMs: 60_000 }, async () => undefined)).toBe(true);
    expect(await b!({ name: "watch", periodMs: 60_000 }, async () => undefined)).toBe(false);
  });

  it("runs a cron tick once per slot, whichever replica fires first, and the next slot again", async () => {
    const url = await cluster().database();
    const [a, b] = await Promise.all([replica(url), replica(url)]);
    const hour = 3_600_000;
    expect(await a!({ name: "cycle", slot: "2026-11-30T01:00", periodMs: hour }, async () => undefined)).toBe(true);
    expect(await b!({ name: "cycle", slot: "2026-11-30T01:00", periodMs: hour }, async () => undefined)).toBe(false);
    expect(await b!({ name: "cycle", slot: "2026-11-30T02:00", periodMs: hour }, async () => undefined)).toBe(true);
  });
});
