import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { anonymousKeychain, createAppRegistry } from "../../src/registry/index.js";
import { createWatcher, type TagIndex, type TagRef, type TagUser, type WatchedTag } from "../../src/watch/index.js";
import {
  pushImage,
  startFaultProxy,
  startRegistry,
  type FaultProxy,
  type TestRegistry,
} from "../support/registry/index.js";

// The watcher against the real registry, reached through two loopback proxies that stand for two
// registry hosts (one can be made to answer 429 or run out of RateLimit-Remaining).
let registry: TestRegistry;
let hub: FaultProxy;
let quay: FaultProxy;
beforeAll(async () => {
  registry = await startRegistry();
  [hub, quay] = await Promise.all([startFaultProxy(registry.url), startFaultProxy(registry.url)]);
});
afterAll(async () => {
  await Promise.all([hub?.stop(), quay?.stop()]);
  await registry?.stop();
});

type Job = { owner: string; repo: string; reason: string; seenAt: number };
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };
const users = (...names: string[]): TagUser[] => names.map((name) => ({ installationId: 1, owner: "acme", name }));

/** The reverse index as the store keeps it, in memory (the App's tests use the store itself). */
function indexOf(entries: [TagRef, TagUser[]][], digests: Map<string, string>): TagIndex {
  const key = (t: TagRef) => `${t.registry}/${t.repository}:${t.tag}`;
  const watched = () => entries.map(([tag]): WatchedTag => ({ ...tag, digest: digests.get(key(tag)) ?? null }));
  return {
    watched: async () => watched(),
    digestOf: async (tag) => watched().find((known) => key(known) === key(tag)) ?? null,
    usersOf: async (tag) => entries.find(([t]) => key(t) === key(tag))?.[1] ?? [],
    pinnedBehind: async () => [],
    recordDigest: async (tag, digest) => void digests.set(key(tag), digest),
  };
}

function watcherOver(index: TagIndex, jobs: Job[]) {
  const views = createAppRegistry({
    keychain: anonymousKeychain,
    credentialAccounts: [],
    privateRegistries: [hub.host, quay.host],
    retries: 0,
  });
  return createWatcher({
    index,
    registry: views,
    enqueue: async (job) => void jobs.push(job),
    log: quiet,
    hintDelayMs: 20,
  });
}

const heads = (proxy: FaultProxy, name: string) =>
  proxy.requests().filter((r) => r.method === "HEAD" && r.path.startsWith(`/v2/${name}/manifests/`)).length;

let n = 0;
let names: { node: string; tool: string };
beforeEach(() => {
  n++;
  names = { node: `watch${n}/node`, tool: `watch${n}/tool` };
  hub.clear();
  quay.clear();
});

describe("the watch tick", () => {
  it("asks one HEAD per unique tag, and a moved tag queues exactly its users", async () => {
    const node = { registry: hub.host, repository: names.node, tag: "22" };
    const tool = { registry: quay.host, repository: names.tool, tag: "1" };
    const first = await pushImage(registry, names.node, "22", { created: "v1" });
    await pushImage(registry, names.tool, "1", { created: "v1" });
    const digests = new Map<string, string>();
    const jobs: Job[] = [];
    const watcher = watcherOver(
      indexOf(
        [
          [node, users("api", "web")],
          [tool, users("ops")],
        ],
        digests,
      ),
      jobs,
    );

    expect(await watcher.tick()).toMatchObject({ tags: 2, asked: 2, moved: 0 }); // the first look records
    expect([...digests.values()]).toContain(first.digest);
    const moved = await pushImage(registry, names.node, "22", { created: "v2" });
    const before = Date.now();
    expect(await watcher.tick()).toMatchObject({ tags: 2, asked: 2, moved: 1, paused: [] });
    expect(jobs.map((j) => j.repo)).toEqual(["api", "web"]);
    expect(jobs[0]!.reason).toBe(`tag ${hub.host}/${names.node}:22 moved`);
    expect(jobs[0]!.seenAt).toBeGreaterThanOrEqual(before);
    expect(digests.get(`${hub.host}/${names.node}:22`)).toBe(moved.digest);
    expect(await watcher.tick()).toMatchObject({ moved: 0 });
    expect(jobs).toHaveLength(2);
    expect([heads(hub, names.node), heads(quay, names.tool)]).toEqual([3, 3]);
  });

  it.each([
    ["429 with Retry-After", { type: "status", status: 429, retryAfter: "120" } as const],
    ["RateLimit-Remaining: 0", { type: "headers", headers: { "ratelimit-remaining": "0;w=21600" } } as const],
  ])("a registry that answers %s waits; another registry's moved tag still queues its users", async (_, action) => {
    const limited = [1, 2, 3].map((i) => ({ registry: hub.host, repository: names.node, tag: `${i}` }));
    const tool = { registry: quay.host, repository: names.tool, tag: "1" };
    for (const t of limited) await pushImage(registry, names.node, t.tag, { created: "v1" });
    await pushImage(registry, names.tool, "1", { created: "v1" });
    const jobs: Job[] = [];
    const watcher = watcherOver(
      indexOf([...limited.map((t): [TagRef, TagUser[]] => [t, users("api")]), [tool, users("ops")]], new Map()),
      jobs,
    );
    await watcher.tick();
    hub.add({ method: "HEAD", action, times: 1 });
    await pushImage(registry, names.tool, "1", { created: "v2" });
    const hubBefore = heads(hub, names.node);

    const report = await watcher.tick();
    expect(report).toMatchObject({ moved: 1, paused: [hub.host] });
    expect(jobs.map((j) => j.repo)).toEqual(["ops"]);
    // One answer said stop: the tags of that registry not asked yet wait (4 at once may already be out).
    expect(heads(hub, names.node) - hubBefore).toBeLessThanOrEqual(3);
    const paused = heads(hub, names.node);
    await pushImage(registry, names.tool, "1", { created: "v3" });
    expect(await watcher.tick()).toMatchObject({ moved: 1, paused: [hub.host] });
    expect(heads(hub, names.node)).toBe(paused);
    expect(jobs.map((j) => j.repo)).toEqual(["ops", "ops"]);
    expect(watcher.pauses().get(hub.host)).toBeGreaterThan(Date.now() + 60_000);
  });
});

describe("hints", () => {
  it("a flood of hints for one tag is one HEAD and one job per repository", async () => {
    const node = { registry: hub.host, repository: names.node, tag: "22" };
    const first = await pushImage(registry, names.node, "22", { created: "v1" });
    const jobs: Job[] = [];
    const digests = new Map([[`${hub.host}/${names.node}:22`, first.digest]]);
    const watcher = watcherOver(indexOf([[node, users("api", "web", "site")]], digests), jobs);
    await pushImage(registry, names.node, "22", { created: "v2" });
    const seenAt = Date.now() - 50;
    for (let i = 0; i < 5000; i++) watcher.hint({ ...node }, seenAt + i);
    await watcher.settled();
    expect(heads(hub, names.node)).toBe(1);
    expect(jobs.map((j) => [j.repo, j.seenAt])).toEqual([
      ["api", seenAt],
      ["web", seenAt],
      ["site", seenAt],
    ]);
  });

  it("a hint for a tag nobody uses, or that did not move, queues nothing; the first costs no request", async () => {
    const node = { registry: hub.host, repository: names.node, tag: "22" };
    const first = await pushImage(registry, names.node, "22", { created: "v1" });
    const jobs: Job[] = [];
    const digests = new Map([[`${hub.host}/${names.node}:22`, first.digest]]);
    const watcher = watcherOver(indexOf([[node, users("api")]], digests), jobs);
    const before = hub.requests().length;
    watcher.hint({ ...node, tag: "23" }, Date.now());
    watcher.hint({ registry: "unknown.example", repository: "x/y", tag: "1" }, Date.now());
    await watcher.settled();
    expect(hub.requests().length).toBe(before);
    watcher.hint(node, Date.now());
    await watcher.settled();
    expect(heads(hub, names.node)).toBe(1);
    expect(jobs).toEqual([]);
  });

  it("a hint asks the index about its one tag, never for every watched tag", async () => {
    const node = { registry: hub.host, repository: names.node, tag: "22" };
    const first = await pushImage(registry, names.node, "22", { created: "v1" });
    const digests = new Map([[`${hub.host}/${names.node}:22`, first.digest]]);
    const index = indexOf([[node, users("api")]], digests);
    const asked: string[] = [];
    const counted: TagIndex = {
      ...index,
      watched: () => (asked.push("watched"), index.watched()),
      digestOf: (tag) => (asked.push(`digestOf ${tag.tag}`), index.digestOf(tag)),
    };
    const jobs: Job[] = [];
    const watcher = watcherOver(counted, jobs);
    await pushImage(registry, names.node, "22", { created: "v2" });
    watcher.hint(node, Date.now());
    watcher.hint({ ...node, tag: "23" }, Date.now());
    await watcher.settled();
    expect(asked.sort()).toEqual(["digestOf 22", "digestOf 23"]);
    expect(jobs.map((job) => job.repo)).toEqual(["api"]);
  });
});
