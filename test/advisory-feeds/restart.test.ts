import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFeedFetcher } from "../../src/advisory-feeds/index.js";
import { defaultAdvisories } from "../../src/app/index.js";
import { createAdvisoryStore } from "../../src/explain/index.js";
import { openStoreDir } from "../../src/store/index.js";
import { secdb, startFeedServer, type FeedServer } from "../explain/images.js";

// SPEC 12: feed ETags are in the store, so a restarted App revalidates a feed (304) instead of
// downloading it again, and still knows what it says.
let feeds: FeedServer;
let dir: string;
const FEED = "/os/security.json";
beforeAll(async () => {
  feeds = await startFeedServer();
  feeds.set(FEED, secdb({ openssl: { "3.3.2-r0": ["CVE-2024-5535"] } }));
  dir = mkdtempSync(join(tmpdir(), "repin-feeds-"));
});
afterAll(async () => {
  await feeds.stop();
  rmSync(dir, { recursive: true, force: true });
});

const cves = (store: { advisoriesFor: (e: "wolfi", names: string[]) => { id: string }[] }) =>
  store.advisoriesFor("wolfi", ["openssl"]).map((a) => a.id);

describe("advisory feeds across a restart on the same data directory", () => {
  it("the restarted App revalidates with the stored ETag (304) and reads the stored copy", async () => {
    const url = `${feeds.url}${FEED}`;
    const first = await openStoreDir(dir);
    const before = createAdvisoryStore({
      feeds: [{ format: "secdb", ecosystem: "wolfi", url }],
      fetcher: createFeedFetcher({ copies: first.feeds }),
    });
    expect((await before.refresh()).problems).toEqual([]);
    expect(cves(before)).toEqual(["CVE-2024-5535"]);
    await first.close();

    // The App's own advisories, finding the store once it is open (as createRepin wires them).
    const second = await openStoreDir(dir);
    const after = defaultAdvisories({ REPIN_ADVISORY_FEEDS: `secdb:wolfi:${url}` }, () => second.feeds);
    expect((await after.refresh()).problems).toEqual([]);
    expect(cves(after)).toEqual(["CVE-2024-5535"]);
    expect(feeds.requests()).toEqual([
      [FEED, 200],
      [FEED, 304],
    ]);

    // A feed that changed is downloaded and kept again.
    feeds.set(FEED, secdb({ openssl: { "3.3.2-r0": ["CVE-2024-5535"], "3.3.3-r0": ["CVE-2025-0001"] } }));
    await after.refresh();
    expect(cves(after).sort()).toEqual(["CVE-2024-5535", "CVE-2025-0001"]);
    await second.close();
    const third = await openStoreDir(dir);
    expect((await third.feeds.get(url))?.body).toContain("CVE-2025-0001");
    await third.close();
  });
});
