import { describe, expect, it } from "vitest";
import {
  createWorkQueue,
  memoryQueueTable,
  type QueueTable,
  type RepoJob,
  type WorkQueueOptions,
} from "../../src/queue/index.js";

// The queue alone, over the table's in-memory stand-in; test/app/watch-restart.test.ts runs it over the store.
const quiet = { warn: () => undefined, error: () => undefined };
const job = (repo: string, seenAt = 1): RepoJob => ({
  installationId: 7,
  owner: "acme",
  repo,
  reason: "moved",
  seenAt,
});
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function queueWith(run: WorkQueueOptions["run"], options: Partial<WorkQueueOptions> = {}) {
  const table = memoryQueueTable();
  const queue = createWorkQueue({ table, run, log: quiet, ...options });
  return { queue, table };
}

describe("the embedded work queue", () => {
  it("runs a repository queued many times once, with the earliest sighting", async () => {
    const runs: RepoJob[] = [];
    const { queue, table } = queueWith(async (j) => void runs.push(j));
    for (const seenAt of [50, 20, 90, 40]) await queue.enqueue(job("api", seenAt));
    await queue.enqueue(job("web", 5));
    expect(table.rows.size).toBe(2);
    await queue.start();
    await queue.idle();
    expect(runs.map((j) => [j.repo, j.seenAt])).toEqual([
      ["web", 5],
      ["api", 20],
    ]);
    expect(table.rows.size).toBe(0);
  });

  it("runs at most `concurrency` repositories at once", async () => {
    let active = 0;
    let most = 0;
    const { queue } = queueWith(
      async () => {
        most = Math.max(most, ++active);
        await tick();
        active--;
      },
      { concurrency: 3 },
    );
    await queue.start();
    for (let i = 0; i < 12; i++) await queue.enqueue(job(`repo-${i}`));
    await queue.idle();
    expect(most).toBe(3);
  });

  it("never runs a job beside other work on the same repository, and runs again for a change seen meanwhile", async () => {
    const events: string[] = [];
    const { queue } = queueWith(async (j) => {
      events.push(`job ${j.seenAt} start`);
      await tick();
      if (j.seenAt === 1 && events.length === 3) await queue.enqueue(job("api", 2));
      await tick();
      events.push(`job ${j.seenAt} end`);
    });
    await queue.start();
    await queue.exclusive("Acme/API", async () => {
      events.push("webhook start");
      await queue.enqueue(job("api", 1));
      await tick();
      events.push("webhook end");
    });
    await queue.idle();
    // The change queued while job 1 ran keeps the row (earliest sighting 1) and runs it once more.
    expect(events).toEqual(["webhook start", "webhook end", "job 1 start", "job 1 end", "job 1 start", "job 1 end"]);
  });

  it("retries a failed job with backoff, and gives up after the bounded attempts", async () => {
    let calls = 0;
    const { queue, table } = queueWith(
      async (j) => {
        calls++;
        if (j.repo === "broken" || calls < 3) throw new Error("GitHub is down");
      },
      { retry: { maxAttempts: 3, baseMs: 5, maxMs: 20 } },
    );
    await queue.start();
    await queue.enqueue(job("flaky"));
    await queue.idle();
    expect(calls).toBe(3);
    calls = 0;
    await queue.enqueue(job("broken"));
    await queue.idle();
    expect(calls).toBe(3);
    expect(table.rows.size).toBe(0);
  });

  it("keeps a job in the table until it ran, so the next process runs what this one did not", async () => {
    const table = memoryQueueTable();
    const first = createWorkQueue({ table, run: async () => undefined, log: quiet });
    await first.enqueue(job("api", 42)); // never started: the process stops first
    await first.stop();
    const ran: RepoJob[] = [];
    const second = createWorkQueue({ table, run: async (j) => void ran.push(j), log: quiet });
    await second.start();
    await second.idle();
    expect(ran).toMatchObject([{ repo: "api", seenAt: 42, installationId: 7 }]);
    expect(table.rows.size).toBe(0);
  });

  it("an enqueue whose table write fails rejects (the caller logs it) and runs nothing half-written", async () => {
    const ran: string[] = [];
    const table = memoryQueueTable();
    const full: QueueTable = {
      ...table,
      enqueue: async () => Promise.reject(new Error("SQLITE_FULL: database or disk is full")),
    };
    const queue = createWorkQueue({ table: full, run: async (j) => void ran.push(j.repo), log: quiet });
    await queue.start();
    await expect(queue.enqueue(job("api"))).rejects.toThrow("SQLITE_FULL");
    await queue.idle();
    expect(ran).toEqual([]);
  });
});
