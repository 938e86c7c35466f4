// Write pacing toward GitHub (SPEC 9): content-creating requests of one installation get slots at
// least the interval apart from the store, shared by every pacer on that store (as replicas share
// the database), so the rate is never exceeded; reads go at once; the repin process's Octokit
// leaves write spacing to the pacer (no double pacing by Probot's throttle).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { RepinOctokit } from "../../src/app/octokit.js";
import { createPacer, isContentWrite, slotIntervalMs } from "../../src/app/pacing.js";
import type { Store } from "../../src/store/index.js";
import { createMemoryStore } from "../../src/store/memory.js";
import { dockerfile, OWNER, useWorld } from "../app/support/world.js";
import { storeBackends, type StoreBackend } from "../store/backends.js";

const backends = storeBackends();

/** Two handles on one store, as two replicas have: PostgreSQL opens it twice; SQLite is held by one process, so one handle serves both. */
async function twoHandles(backend: StoreBackend): Promise<[Store, Store]> {
  const place = await backend.place();
  const first = await place();
  return [first, backend.name === "SQLite" ? first : await place()];
}

describe("which requests are paced", () => {
  it("content writes are; reads and the App's token exchanges are not", () => {
    expect(isContentWrite("POST", "/repos/acme/svc/pulls")).toBe(true);
    expect(isContentWrite("patch", "https://api.github.com/repos/acme/svc/issues/3")).toBe(true);
    expect(isContentWrite("PUT", "/repos/acme/svc/contents/x")).toBe(true);
    expect(isContentWrite("DELETE", "/repos/acme/svc/git/refs/heads/x")).toBe(true);
    expect(isContentWrite("GET", "/repos/acme/svc/pulls")).toBe(false);
    expect(isContentWrite("HEAD", "/repos/acme/svc")).toBe(false);
    expect(isContentWrite("POST", "/app/installations/12/access_tokens")).toBe(false);
    expect(isContentWrite("POST", "http://ghe.local/api/v3/app/installations/12/access_tokens")).toBe(false);
  });

  it("80 a minute leaves a little room for network jitter", () => {
    expect(slotIntervalMs(80)).toBe(760);
    expect(Math.floor(60_000 / slotIntervalMs(80)) + 1).toBeLessThanOrEqual(80);
  });
});

describe.each(backends)("slots from the store on $name", (backend) => {
  it("two replicas' pacers never hand out slots closer than the interval", async () => {
    const handles = await twoHandles(backend);
    const interval = slotIntervalMs(80);
    const slots: number[] = [];
    // Sleep records the slot instead of waiting: the slots are what the pacer would wait for.
    const [a, b] = handles.map((store) =>
      createPacer({
        pacing: store.pacing,
        writesPerMinute: 80,
        sleep: async (ms) => void slots.push(Date.now() + ms),
      }),
    );
    const writes = Array.from({ length: 200 }, (_, i) =>
      (i % 2 ? a! : b!)(7, { method: "POST", url: `/repos/acme/r${i}/git/trees` }),
    );
    await Promise.all(writes);
    expect(slots).toHaveLength(199); // the first slot is now: no wait
    const sorted = [...slots].sort((x, y) => x - y);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(interval - 1);
    // In any minute, at most 80 (the first, unrecorded slot included).
    for (let i = 0; i < sorted.length; i++)
      expect(sorted.filter((t) => t >= sorted[i]! && t < sorted[i]! + 60_000).length).toBeLessThanOrEqual(80);
    // Another installation has its own slots: its first write waits for nothing.
    const other: number[] = [];
    await createPacer({
      pacing: handles[1].pacing,
      writesPerMinute: 80,
      sleep: async (ms) => void other.push(ms),
    })(8, { method: "POST", url: "/repos/other/r/pulls" });
    expect(other).toEqual([]);
  });

  it("reads take no slot", async () => {
    const store = await backend.open();
    let taken = 0;
    const pace = createPacer({
      pacing: { take: (...args) => (taken++, store.pacing.take(...args)) },
      writesPerMinute: 80,
    });
    await pace(7, { method: "GET", url: "/repos/acme/svc/pulls" });
    await pace(7, { method: "POST", url: "/app/installations/7/access_tokens" });
    expect(taken).toBe(0);
    await pace(7, { method: "POST", url: "/repos/acme/svc/pulls" });
    expect(taken).toBe(1);
  });
});

describe("slots from the memory store (the Action's)", () => {
  it("are spaced by the interval too", async () => {
    const pacing = createMemoryStore().pacing;
    const slots = await Promise.all([1, 2, 3].map(() => pacing.take("installation:7", 1_000, 760)));
    expect(slots).toEqual([1_000, 1_760, 2_520]);
  });
});

describe("the App's GitHub writes", () => {
  const WRITES_PER_MINUTE = 120;
  const world = useWorld({ repin: () => ({ writesPerMinute: WRITES_PER_MINUTE }) });

  it("arrive at GitHub spaced by the interval, across repositories scanned at once", async () => {
    const old = await world.push("base", "1.0", "2024-01-01T00:00:00Z");
    for (const name of ["a", "b", "c"])
      await world.createRepo(name, { Dockerfile: dockerfile(world.image("base"), "1.0", old) });
    await world.push("base", "1.0", "2024-02-01T00:00:00Z");
    world.sim.resetLog();
    await world.repin.runCycle();
    for (const name of ["a", "b", "c"]) expect(world.sim.pulls(OWNER, name)).toHaveLength(1);
    const times = world.sim
      .writeLog()
      .map((request) => request.at)
      .sort((x, y) => x - y);
    expect(times.length).toBeGreaterThanOrEqual(12);
    // Slots are exact; arrivals are not (this process's event loop also runs the simulator and may
    // stall): judged by the span, and by the most writes in any 2 s (one more than slots allow).
    const interval = slotIntervalMs(WRITES_PER_MINUTE);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual((times.length - 1) * interval - 500);
    const busiest = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 2_000).length));
    expect(busiest).toBeLessThanOrEqual(Math.floor(2_000 / interval) + 2);
  }, 120_000);
});

describe("the repin process's Octokit", () => {
  async function timeWrites(Octokit: typeof ProbotOctokit, count: number): Promise<number> {
    const server = createServer((request, response) => {
      request.resume();
      request.on("end", () => response.writeHead(201, { "content-type": "application/json" }).end("{}"));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const octokit = new Octokit({ auth: { token: "test-token" }, baseUrl, throttle: { id: "12" } });
    const started = performance.now();
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        octokit.request("POST /repos/{owner}/{repo}/issues", { owner: "acme", repo: "svc", title: `t${i}` }),
      ),
    );
    const elapsed = performance.now() - started;
    await new Promise((resolve) => server.close(resolve));
    return elapsed;
  }

  it("keeps Probot's throttling but not its write spacing, which the pacer replaces", async () => {
    // Probot's: one write a second and one notifying write per 3 s, per installation.
    expect(await timeWrites(ProbotOctokit, 3)).toBeGreaterThanOrEqual(1_900);
    expect(await timeWrites(RepinOctokit as typeof ProbotOctokit, 3)).toBeLessThan(1_000);
  }, 30_000);
});
