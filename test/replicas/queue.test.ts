import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createPgWorkQueue, type PgWorkQueue, type PgWorkQueueOptions } from "../../src/queue/pg-queue.js";
import type { RepoJob } from "../../src/queue/index.js";
import { usePostgres } from "../support/postgres/index.js";

const cluster = usePostgres();
const tsx = fileURLToPath(new URL("../../node_modules/tsx/dist/esm/index.mjs", import.meta.url));
const replicaScript = fileURLToPath(new URL("./support/queue-replica.ts", import.meta.url));

const web = { installationId: 7, owner: "acme", repo: "web" };
const api = { installationId: 7, owner: "acme", repo: "api" };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Logged {
  readonly level: "warn" | "error";
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** One replica's queue on `url`, with its own pool (as a separate process would have). */
function replica(url: string, options: Partial<PgWorkQueueOptions> & Pick<PgWorkQueueOptions, "run">) {
  const pool = new pg.Pool({ connectionString: url });
  pool.on("error", () => undefined);
  const logged: Logged[] = [];
  const queue = createPgWorkQueue({
    pool,
    log: {
      warn: (fields, message) => logged.push({ level: "warn", fields, message }),
      error: (fields, message) => logged.push({ level: "error", fields, message }),
    },
    ...options,
  });
  cleanups.push(async () => {
    await queue.stop();
    await pool.end();
  });
  return { queue, pool, logged };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("the PostgreSQL work queue (graphile-worker)", () => {
  it("queues a repository once, keeping the earliest upstream change and every reason", async () => {
    const url = await cluster().database();
    const runs: RepoJob[] = [];
    const { queue } = replica(url, { run: async (job) => void runs.push(job) });
    await queue.enqueue({ ...web, reason: "tag a moved", seenAt: 2_000 });
    await queue.enqueue({ ...web, owner: "ACME", repo: "Web", reason: "tag b moved", seenAt: 1_000 });
    await queue.enqueue({ ...web, reason: "tag a moved", seenAt: 3_000 });
    await queue.start();
    await queue.idle();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ installationId: 7, seenAt: 1_000, reason: "tag a moved; tag b moved" });
  });

  it("runs work on one repository on one replica at a time, and different repositories side by side", async () => {
    const url = await cluster().database();
    const running = new Map<string, number>();
    let most = 0;
    let together = 0;
    const runs: string[] = [];
    const run = async (job: RepoJob) => {
      const key = `${job.owner}/${job.repo}`;
      running.set(key, (running.get(key) ?? 0) + 1);
      most = Math.max(most, running.get(key)!);
      together = Math.max(together, [...running.values()].filter((n) => n > 0).length);
      runs.push(key);
      await sleep(300);
      running.set(key, running.get(key)! - 1);
    };
    const a = replica(url, { run });
    const b = replica(url, { run });
    await Promise.all([a.queue.start(), b.queue.start()]);
    // Work arrives on both replicas, also while the first job on the repository runs.
    await Promise.all([
      a.queue.enqueue({ ...web, reason: "1", seenAt: 1 }),
      b.queue.enqueue({ ...api, reason: "1", seenAt: 1 }),
    ]);
    await sleep(100);
    await Promise.all([
      a.queue.enqueue({ ...web, reason: "2", seenAt: 2 }),
      b.queue.enqueue({ ...web, reason: "3", seenAt: 3 }),
    ]);
    await a.queue.idle();
    expect(most).toBe(1);
    expect(together).toBe(2);
    // The work that arrived while web ran is not lost: web runs again after, once.
    expect(runs.filter((key) => key === "acme/web")).toHaveLength(2);
  });

  it("retries a job that fails with backoff, a bounded number of times, then records it as failed", async () => {
    const url = await cluster().database();
    const attempts: number[] = [];
    const { queue, logged } = replica(url, {
      maxAttempts: 2,
      run: async () => {
        attempts.push(Date.now());
        throw new Error("registry said 500");
      },
    });
    await queue.start();
    await queue.enqueue({ ...web, reason: "tag moved", seenAt: 1 });
    await queue.idle();
    expect(attempts).toHaveLength(2);
    // graphile-worker waits e^1 s before the second attempt: no hot loop.
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(2_000);
    expect(await queue.failed()).toMatchObject([
      { repository: "acme/web", attempts: 2, lastError: expect.stringContaining("registry said 500") },
    ]);
    expect(logged.map((line) => [line.level, line.message])).toEqual([
      ["warn", "queue: job failed; it runs again later"],
      ["error", "queue: job failed; giving up"],
    ]);
    await sleep(1_500);
    expect(attempts).toHaveLength(2);
  });

  it("locks a repository across replicas: exclusive work on one waits for the other's", async () => {
    const url = await cluster().database();
    const a = replica(url, { run: async () => undefined });
    const b = replica(url, { run: async () => undefined });
    const order: string[] = [];
    let release!: () => void;
    const held = a.queue.exclusive("Acme/Web", async () => {
      order.push("a starts");
      await new Promise<void>((resolve) => (release = resolve));
      order.push("a ends");
    });
    await until("a to hold the lock", () => order.length === 1);
    const waiting = b.queue.exclusive("acme/web", async () => void order.push("b runs"));
    // Another repository is not held up.
    await b.queue.exclusive("acme/api", async () => void order.push("b on api"));
    await sleep(300);
    expect(order).toEqual(["a starts", "b on api"]);
    release();
    await Promise.all([held, waiting]);
    expect(order).toEqual(["a starts", "b on api", "a ends", "b runs"]);
  });

  it("runs the job of a replica killed mid-job again on another replica", async () => {
    const url = await cluster().database();
    const child = spawn(process.execPath, ["--import", tsx, replicaScript, url], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const exited = new Promise((resolve) => child.on("exit", resolve));
    cleanups.push(async () => {
      child.kill("SIGKILL");
      await exited;
    });
    await until("the replica to start", () => output.includes("started"));
    const runs: RepoJob[] = [];
    const survivor = replica(url, { run: async (job) => void runs.push(job), recoverEveryMs: 500 });
    await survivor.queue.enqueue({ ...web, reason: "tag moved", seenAt: 5 });
    await until("the replica to take the job", () => output.includes("running acme/web"));
    child.kill("SIGKILL");
    await exited;
    await survivor.queue.start();
    await until("the job to run again", () => runs.length > 0);
    expect(runs).toMatchObject([{ owner: "acme", repo: "web", seenAt: 5, reason: "tag moved" }]);
    await survivor.queue.idle();
    expect(runs).toHaveLength(1);
    expect(survivor.logged.map((line) => line.message)).toContain(
      "queue: a replica went away mid-job; its jobs run again",
    );
  });
});
