import { describe, expect, it } from "vitest";
import { inTurn } from "../../src/app/upstream.js";
import type { GitHubClient } from "../../src/github/index.js";
import {
  createWorkQueue,
  createWriteTurns,
  freeWrites,
  memoryQueueTable,
  type WriteTurns,
} from "../../src/queue/index.js";

// Write turns over the queue, with a stand-in for GitHub's write pacing (Probot's throttling: one
// write at a time, first come first served). Pure scheduling logic, so a fake pacer is enough here;
// bench/upstream.ts measures the real thing.
const quiet = { warn: () => undefined, error: () => undefined };
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** FIFO, one write every `spacingMs`: what each job wrote, in the order the pacer let it through. */
function pacer(spacingMs: number) {
  const log: string[] = [];
  let last: Promise<void> = Promise.resolve();
  return {
    log,
    write(repo: string): Promise<void> {
      last = last.then(async () => {
        log.push(repo);
        await tick(spacingMs);
      });
      return last;
    },
  };
}

async function pushToPrs(turns: WriteTurns) {
  const paced = pacer(5);
  const finished: string[] = [];
  const queue = createWorkQueue({
    table: memoryQueueTable(),
    concurrency: 4,
    log: quiet,
    writeTurns: turns,
    async run(job, turn) {
      await tick(2); // the reads, which run ahead
      for (let i = 0; i < 3; i++) {
        await turn.mayWrite();
        await paced.write(job.repo);
      }
      finished.push(job.repo);
    },
  });
  for (const repo of ["a", "b", "c", "d", "e", "f"])
    await queue.enqueue({ installationId: 1, owner: "o", repo, reason: "moved", seenAt: 1 });
  await queue.start();
  await queue.idle();
  return { order: paced.log.join(""), finished: finished.join("") };
}

describe("write turns under paced writes", () => {
  it("the job that started first writes first and finishes first; the writes are as many", async () => {
    expect(await pushToPrs(createWriteTurns())).toEqual({ order: "aaabbbcccdddeeefff", finished: "abcdef" });
  });

  it("without turns the running jobs' writes interleave, so the first PR waits for the others' writes", async () => {
    const { order } = await pushToPrs(freeWrites);
    expect(order.slice(0, 4)).toBe("abcd");
  });

  it("a job that fails still gives up its turn", async () => {
    const turns = createWriteTurns();
    const first = turns.take();
    const second = turns.take();
    let wrote = false;
    const waiting = second.mayWrite().then(() => (wrote = true));
    await tick(5);
    expect(wrote).toBe(false);
    first.done();
    await waiting;
    expect(wrote).toBe(true);
  });
});

describe("the job's GitHub client in its turn", () => {
  it("reads go at once; writes, however the route is written, wait for the turn", async () => {
    const sent: string[] = [];
    const client = {
      request: async (route: unknown) => void sent.push(typeof route === "string" ? route : JSON.stringify(route)),
    } as unknown as GitHubClient;
    const turns = createWriteTurns();
    const earlier = turns.take();
    const paced = inTurn(client, turns.take());
    await paced.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" });
    await paced.request("/rate_limit");
    const writes = [
      paced.request("POST /repos/{owner}/{repo}/pulls", { owner: "o", repo: "r", head: "h", base: "main" }),
      paced.request({ method: "PATCH", url: "/repos/o/r/issues/1" } as never),
    ];
    await tick(5);
    expect(sent).toEqual(["GET /repos/{owner}/{repo}", "/rate_limit"]);
    earlier.done();
    await Promise.all(writes);
    expect(sent).toHaveLength(4);
  });
});
