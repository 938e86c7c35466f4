import { describe, expect, it } from "vitest";
import { dataDir, defaultAdvisories } from "../../src/app/index.js";
import { secdb, startFeedServer } from "../explain/images.js";

// What the default export builds from the environment: the store's place, the advisory feeds.
describe("collaborators from the environment", () => {
  it("REPIN_DATA_DIR names the store's directory, ./.repin when unset or blank", () => {
    expect(dataDir({ REPIN_DATA_DIR: "/var/lib/repin" })).toBe("/var/lib/repin");
    expect(dataDir({ REPIN_DATA_DIR: "  " })).toBe(".repin");
    expect(dataDir({})).toBe(".repin");
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
