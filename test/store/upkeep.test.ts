import { describe, expect, it } from "vitest";
import { RECENT_KEYS_HORIZON_MS } from "../../src/store/index.js";
import { createMemoryStore } from "../../src/store/memory.js";
import { storeBackends } from "./backends.js";

const node = { registry: "docker.io", repository: "library/node", tag: "22" };
const alpine = { registry: "docker.io", repository: "library/alpine", tag: "3.20" };
const web = { installationId: 7, owner: "acme", name: "web" };
const api = { installationId: 7, owner: "acme", name: "api" };
const ops = { installationId: 7, owner: "acme", name: "ops" };
const HOUR = 3_600_000;

const memory = { name: "memory", open: async () => createMemoryStore() };
const backends = storeBackends();

describe.each([...backends, memory])("the reverse index's narrow questions on $name", (backend) => {
  it("names the repositories pinned behind a tag's digest, not those at it or not pinned", async () => {
    const store = await backend.open();
    await store.usages.replace(web, [{ ...node, path: "Dockerfile", digest: "sha256:new", pinned: "sha256:old" }]);
    await store.usages.replace(api, [{ ...node, path: "Dockerfile", digest: "sha256:new", pinned: "sha256:new" }]);
    await store.usages.replace(ops, [
      { ...node, path: "Dockerfile", digest: "sha256:new", pinned: null },
      { ...node, path: "tools/Dockerfile", digest: "sha256:new", pinned: "sha256:older" },
      { ...alpine, path: "Dockerfile", digest: null, pinned: "sha256:old" },
    ]);
    expect(await store.usages.pinnedBehind(node, "sha256:new")).toEqual([
      { ...ops, paths: ["tools/Dockerfile"] },
      { ...web, paths: ["Dockerfile"] },
    ]);
    expect(await store.usages.pinnedBehind(alpine, "sha256:old")).toEqual([]);
  });

  it("answers one tag's digest without listing the others; null for a tag no repository uses", async () => {
    const store = await backend.open();
    await store.usages.replace(web, [
      { ...node, path: "Dockerfile", digest: "sha256:n1" },
      { ...alpine, path: "Dockerfile", digest: null },
    ]);
    expect(await store.usages.digestOf(node)).toMatchObject({ ...node, digest: "sha256:n1" });
    expect(await store.usages.digestOf(alpine)).toMatchObject({ ...alpine, digest: null, recordedAt: null });
    expect(await store.usages.digestOf({ ...node, tag: "20" })).toBeNull();
  });
});

describe.each(backends)("the store's upkeep on $name", (backend) => {
  it("keeps each feed's last copy and validators across a restart", async () => {
    const place = await backend.place();
    const first = await place();
    await first.feeds.put("https://feeds.test/a.json", { etag: '"v1"', lastModified: null, body: "[1]" });
    await first.feeds.put("https://feeds.test/a.json", { etag: '"v2"', lastModified: "Mon", body: "[2]" });
    await first.close();
    const second = await place();
    expect(await second.feeds.get("https://feeds.test/a.json")).toEqual({
      etag: '"v2"',
      lastModified: "Mon",
      body: "[2]",
    });
    expect(await second.feeds.get("https://feeds.test/b.json")).toBeUndefined();
  });

  it("prunes digests of tags no repository uses any more, and recent keys past their time", async () => {
    const place = await backend.place();
    const now = Date.now();
    const before = await place();
    // A kind the next process never asks about goes after the horizon.
    await before.recent("other", 100 * RECENT_KEYS_HORIZON_MS).first("ancient", now - 2 * RECENT_KEYS_HORIZON_MS);
    await before.recent("other", 100 * RECENT_KEYS_HORIZON_MS).first("recent", now - HOUR);
    await before.close();
    const store = await place();
    await store.usages.replace(web, [
      { ...node, path: "Dockerfile", digest: "sha256:n1" },
      { ...alpine, path: "Dockerfile", digest: "sha256:a1" },
    ]);
    await store.usages.replace(web, [{ ...node, path: "Dockerfile", digest: "sha256:n1" }]);
    const deliveries = store.recent("delivery", HOUR);
    await deliveries.first("new", now - HOUR / 2);
    await deliveries.first("old", now - 2 * HOUR);
    expect(await store.prune(now)).toEqual({ tagDigests: 1, recentKeys: 2 });
    // The used tag keeps its digest: a re-added alpine starts from its scan's digest, not a stale one.
    expect(await store.usages.digestOf(node)).toMatchObject({ digest: "sha256:n1" });
    await store.usages.replace(api, [{ ...alpine, path: "Dockerfile", digest: "sha256:a2" }]);
    expect(await store.usages.digestOf(alpine)).toMatchObject({ digest: "sha256:a2" });
    expect(await deliveries.first("old", now)).toBe(true);
    expect(await deliveries.first("new", now)).toBe(false);
    expect(await store.recent("other", 100 * RECENT_KEYS_HORIZON_MS).first("recent", now)).toBe(false);
  });
});

describe("the memory store's upkeep", () => {
  it("prunes digests of unused tags and expired recent keys too", async () => {
    const store = createMemoryStore();
    await store.usages.replace(web, [{ ...alpine, path: "Dockerfile", digest: "sha256:a1" }]);
    await store.usages.replace(web, []);
    const now = Date.now();
    const deliveries = store.recent("delivery", HOUR);
    await deliveries.first("old", now - 2 * HOUR);
    await deliveries.first("new", now);
    expect(await store.prune(now)).toEqual({ tagDigests: 1, recentKeys: 1 });
    await store.usages.replace(api, [{ ...alpine, path: "Dockerfile", digest: "sha256:a2" }]);
    expect(await store.usages.digestOf(alpine)).toMatchObject({ digest: "sha256:a2" });
  });
});
