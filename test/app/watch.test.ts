import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { openStoreDir } from "../../src/store/index.js";
import { dockerfile, OWNER, useWorld } from "./support/world.js";

// Upstream changes end to end: the real registry, the GitHub simulator, the App with its store.
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
let dataDir = "";
// Registered before the world's own hook, so each test's App opens its own data directory.
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "repin-watch-"));
  dirs.push(dataDir);
});
const world = useWorld({
  repin: () => ({ store: () => openStoreDir(dataDir), upstream: { watchIntervalMs: null, feedIntervalMs: null } }),
});

async function usersOfTwoImages() {
  const base = await world.push("base", "1", "2024-01-01T00:00:00Z");
  const tools = await world.push("tools", "2", "2024-01-01T00:00:00Z");
  await world.createRepo("api", { Dockerfile: dockerfile(world.image("base"), "1", base) });
  await world.createRepo("web", { Dockerfile: dockerfile(world.image("base"), "1", base) });
  await world.createRepo("ops", { Dockerfile: dockerfile(world.image("tools"), "2", tools) });
  await world.repin.runCycle(); // records the reverse index
}

const prs = (repo: string) => world.sim.pulls(OWNER, repo).length;
const manifestHeads = async (name: string) => {
  await world.registry.settle();
  return world.registry.requests().filter((r) => r.method === "HEAD" && r.path.startsWith(`/v2/${name}/manifests/`))
    .length;
};

describe("watching upstream", () => {
  it("the next tick sees a tag moved in the registry, and only its users get PRs", async () => {
    await usersOfTwoImages();
    const moved = await world.push("base", "1", "2024-02-01T00:00:00Z");
    const report = await world.repin.upstream.watcher.tick();
    expect(report).toMatchObject({ tags: 2, asked: 2, moved: 1 });
    await world.repin.upstream.queue.idle();
    expect([prs("api"), prs("web"), prs("ops")]).toEqual([1, 1, 0]);
    expect(world.sim.pulls(OWNER, "api")[0]?.title).toContain("base");
    expect((await world.repin.store.usages.watched()).find((t) => t.repository === "base")?.digest).toBe(moved);
    const latency = world.repin.latency.snapshot();
    expect(latency.count).toBe(2);
    expect(latency.maxMs).toBeLessThan(60_000);
  });

  it("a flood of hints is one HEAD and one rescan per repository", async () => {
    await usersOfTwoImages();
    await world.push("base", "1", "2024-02-01T00:00:00Z");
    const headsBefore = await manifestHeads("base");
    const seenAt = Date.now();
    for (let i = 0; i < 3000; i++)
      world.repin.hint({ registry: world.registry.host, repository: "base", tag: "1" }, seenAt);
    world.repin.hint({ registry: world.registry.host, repository: "unknown", tag: "1" }, seenAt);
    await world.repin.upstream.watcher.settled();
    await world.repin.upstream.queue.idle();
    expect(await manifestHeads("base")).toBe(headsBefore + 1 + 2); // the hint's HEAD, then one scan per user
    expect(await manifestHeads("unknown")).toBe(0);
    expect([prs("api"), prs("web"), prs("ops")]).toEqual([1, 1, 0]);
  });

  it("work left in the store by a stopped App runs when the next one starts on the same data directory", async () => {
    await usersOfTwoImages();
    await world.push("base", "1", "2024-02-01T00:00:00Z");
    // This App takes no more work; its tick still queues the users, in the store.
    await world.repin.upstream.queue.stop();
    expect(await world.repin.upstream.watcher.tick()).toMatchObject({ moved: 1 });
    expect((await world.repin.store.queue.due(Date.now(), 10)).map((w) => w.name).sort()).toEqual(["api", "web"]);
    expect([prs("api"), prs("web")]).toEqual([0, 0]);
    await world.repin.store.close();

    await world.restart();
    await world.repin.upstream.queue.idle();
    expect([prs("api"), prs("web"), prs("ops")]).toEqual([1, 1, 0]);
    expect(await world.repin.store.queue.due(Date.now(), 10)).toEqual([]);
  });
});
