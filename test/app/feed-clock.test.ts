import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFeedFetcher } from "../../src/advisory-feeds/index.js";
import { createAdvisoryStore } from "../../src/explain/index.js";
import {
  apkDbLayer,
  layer,
  pushRawImage,
  secdb,
  startFeedServer,
  wolfiBase,
  type FeedServer,
  type Pkg,
} from "../explain/images.js";
import { dashboardOf, dockerfile, OWNER, startWorld, type World } from "./support/world.js";

// The advisory feeds on their own clock (SPEC 11): a feed on a loopback server, images with real
// apk databases in the real registry, the App with the GitHub simulator; no cycle after the feed changes.
let world: World;
let feeds: FeedServer;
const FEED = "/os/security.json";

beforeEach(async () => {
  feeds = await startFeedServer();
  feeds.set(FEED, secdb({ curl: { "8.11.0-r0": ["CVE-2024-9681"] } }));
  world = await startWorld({
    repin: () => ({
      advisories: createAdvisoryStore({
        feeds: [{ format: "secdb", ecosystem: "wolfi", url: `${feeds.url}${FEED}` }],
        fetcher: createFeedFetcher(),
      }),
      explainMaxBytes: 200_000,
      // A clock too slow to tick in a test: the test looks itself, as the clock would.
      upstream: { watchIntervalMs: null, feedIntervalMs: 3_600_000 },
    }),
  });
});
afterEach(async () => {
  await world.stop();
  await feeds.stop();
});

const wolfi = async (name: string, packages: readonly Pkg[]) =>
  pushRawImage(world.registry, name, "latest", [await layer([]), await apkDbLayer([...wolfiBase, ...packages])]);
const open = (repo: string) => world.sim.pulls(OWNER, repo).filter((pull) => pull.state === "open");
const OLD: readonly Pkg[] = [
  ["openssl", "3.3.1-r0"],
  ["libcrypto3", "3.3.1-r0", "openssl"],
];
const NEW: readonly Pkg[] = [
  ["openssl", "3.3.2-r0"],
  ["libcrypto3", "3.3.2-r0", "openssl"],
];

describe("the advisory feed clock", () => {
  it("a newly published fix the tag's digest carries opens the security PR at once, outside schedule and minimumAge", async () => {
    const config = 'schedule: ["* * 31 2 *"]\nminimumAge: 24h\n';
    const old = await wolfi("chainguard/static", OLD);
    await world.createRepo("svc", {
      Dockerfile: dockerfile(world.image("chainguard/static"), "latest", old.digest),
      ".github/repin.yml": config,
    });
    await wolfi("chainguard/static", NEW);
    const current = await wolfi("tools", [["busybox", "1.36.1-r1"]]);
    await world.createRepo("current", {
      Dockerfile: dockerfile(world.image("tools"), "latest", current.digest),
      ".github/repin.yml": config,
    });
    await world.repin.runCycle();
    expect(open("svc")).toHaveLength(0);
    expect(dashboardOf(world, "svc")!.body).toContain("held by minimumAge until");
    const feedsLook = world.repin.upstream.feeds!;
    expect(await feedsLook.tick()).toEqual({ changed: false, queued: 0 });

    feeds.set(FEED, secdb({ openssl: { "3.3.2-r0": ["CVE-2024-5535"] }, curl: { "8.11.0-r0": ["CVE-2024-9681"] } }));
    const report = await feedsLook.tick();
    // Only svc is pinned behind its tag's current digest; "current" has nothing to gain and is not rescanned.
    expect(report).toEqual({ changed: true, queued: 1 });
    await world.repin.upstream.queue.idle();
    const [pull] = open("svc");
    expect(pull?.labels).toEqual(["security"]);
    expect(pull?.body).toContain("> Opened outside the schedule and before minimumAge because it fixes 1 advisory.");
    expect(open("current")).toHaveLength(0);
    expect(world.repin.latency.snapshot().count).toBe(1);
  });
});
