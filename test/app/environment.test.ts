import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultAdvisories, defaultInventoryCache } from "../../src/app/index.js";
import { secdb, startFeedServer } from "../explain/images.js";

// What the default export builds from the environment for explaining bumps.
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("explain collaborators from the environment", () => {
  it("REPIN_CACHE_DIR keeps inventories in a SQLite file that a new process reads", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "repin-cache-")), "nested");
    dirs.push(dir);
    const first = defaultInventoryCache({ REPIN_CACHE_DIR: dir });
    await first.set("sha256:abc", { kind: "apk", packages: [{ name: "openssl", version: "3.3.2-r0" }] });
    expect(existsSync(join(dir, "inventories.sqlite"))).toBe(true);
    expect(await defaultInventoryCache({ REPIN_CACHE_DIR: dir }).get("sha256:abc")).toEqual({
      kind: "apk",
      packages: [{ name: "openssl", version: "3.3.2-r0" }],
    });
    // Unset: a memory cache, nothing on disk.
    const memory = defaultInventoryCache({});
    await memory.set("sha256:abc", { kind: "none", packages: [] });
    expect(await memory.get("sha256:abc")).toEqual({ kind: "none", packages: [] });
  });

  it("REPIN_ADVISORY_FEEDS names the feeds; a refresh that changes nothing keeps the generation", async () => {
    const feeds = await startFeedServer();
    try {
      feeds.set("/os/security.json", secdb({ openssl: { "3.3.2-r0": ["CVE-2024-5535"] } }));
      const store = defaultAdvisories({ REPIN_ADVISORY_FEEDS: `secdb:wolfi:${feeds.url}/os/security.json` });
      expect(store.generation).toBe(0);
      expect(await store.refresh()).toEqual({ problems: [] });
      expect(store.advisoriesFor("wolfi", ["openssl"]).map((a) => a.id)).toEqual(["CVE-2024-5535"]);
      await store.refresh();
      expect(store.generation).toBe(1);
      feeds.set(
        "/os/security.json",
        secdb({ openssl: { "3.3.2-r0": ["CVE-2024-5535"] }, curl: { "8.11.0-r0": ["CVE-2024-9681"] } }),
      );
      await store.refresh();
      expect(store.generation).toBe(2);
      expect(feeds.requests().map(([, status]) => status)).toEqual([200, 304, 200]);
    } finally {
      await feeds.stop();
    }
  });
});
