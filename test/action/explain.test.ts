import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFeedFetcher } from "../../src/advisory-feeds/index.js";
import { createAdvisoryStore } from "../../src/explain/index.js";
import { apkDbLayer, filler, layer, pushRawImage, secdb, startFeedServer, wolfiBase, type FeedServer, type Pkg } from "../explain/images.js";
import { dockerfile, OWNER, startWorld, type World } from "../app/support/world.js";
import { createRunner, errorsOf, type Runner } from "./support.js";

// SPEC 14: the Action opens the same PRs with the same bodies as the App, the package diff and the
// advisories fixed included (SPEC 5, 8). Real apk databases in the real registry's layers, a secdb
// feed on a loopback server, the App in the world's Probot server, the Action's bundle as a process.
const FEED = "/os/security.json";
let world: World;
let feeds: FeedServer;
let runner: Runner;

beforeEach(async () => {
  feeds = await startFeedServer();
  feeds.set(FEED, secdb({ openssl: { "3.3.2-r0": ["CVE-2024-5535"] } }));
  world = await startWorld({
    repin: () => ({
      advisories: createAdvisoryStore({
        feeds: [{ format: "secdb", ecosystem: "wolfi", url: `${feeds.url}${FEED}` }],
        fetcher: createFeedFetcher(),
      }),
    }),
  });
  runner = await createRunner(world);
});
afterEach(async () => {
  await runner.cleanup();
  await world.stop();
  await feeds.stop();
});

const OLD: readonly Pkg[] = [
  ["openssl", "3.3.1-r0"],
  ["libcrypto3", "3.3.1-r0", "openssl"],
];
const NEW: readonly Pkg[] = [
  ["openssl", "3.3.2-r0"],
  ["libcrypto3", "3.3.2-r0", "openssl"],
];

async function wolfi(packages: readonly Pkg[]): Promise<string> {
  const layers = [await layer([filler("usr/lib/libc.so", 2_000)]), await apkDbLayer([...wolfiBase, ...packages])];
  return (await pushRawImage(world.registry, "chainguard/static", "latest", layers)).digest;
}

const openPull = (repo: string) => world.sim.pulls(OWNER, repo).find((pull) => pull.state === "open");
/** The body's explanation: from the line after the image details to the command list. */
function explanationOf(body: string): string {
  const start = body.indexOf("Packages compared for");
  const notCompared = body.indexOf("> Packages not compared for");
  const from = start === -1 ? notCompared : start;
  expect(from, body).toBeGreaterThan(-1);
  return body.slice(from, body.indexOf("<details><summary>Commands"));
}

describe("the Action's PR bodies explain the bump as the App's do", () => {
  it("carries the package diff and the advisories fixed, the same section the App writes for the same change", async () => {
    const old = await wolfi(OLD);
    const files = { Dockerfile: dockerfile(world.image("chainguard/static"), "latest", old) };
    await world.createRepo("by-action", files);
    await world.createRepo("by-app", files);
    await wolfi(NEW);

    const run = await runner.run("by-action", {}, { REPIN_ADVISORY_FEEDS: `secdb:wolfi:${feeds.url}${FEED}` });
    expect(errorsOf(run)).toEqual([]);
    expect(run.code).toBe(0);
    await world.install(["by-app"]);

    const action = openPull("by-action")!;
    const app = openPull("by-app")!;
    const section = explanationOf(action.body!);
    expect(section).toContain("**Security fix:** 1 advisory fixed. Packages: 2 upgraded, 0 downgraded, 0 added, 0 removed.");
    expect(section).toContain(
      "| [CVE-2024-5535](https://nvd.nist.gov/vuln/detail/CVE-2024-5535) | openssl | 3.3.1-r0 → 3.3.2-r0 | — |",
    );
    expect(section).toContain("- openssl (x86\\_64): 3.3.1-r0 → 3.3.2-r0");
    expect(section).toBe(explanationOf(app.body!));
    expect(action.labels).toEqual(app.labels);
    expect(action.labels).toContain("security");
  });

  it("says the packages were not compared when the images have no package database, never that none changed", async () => {
    const image = world.image("base");
    const old = await world.push("base", "1.0", "2024-01-01T00:00:00Z");
    await world.createRepo("svc", { Dockerfile: dockerfile(image, "1.0", old) });
    await world.push("base", "1.0", "2024-02-01T00:00:00Z");
    const run = await runner.run("svc");
    expect(run.code).toBe(0);
    const body = openPull("svc")!.body!;
    expect(body).toContain(`> Packages not compared for \`${image}:1.0\`: the old image has no apk or dpkg package database`);
    expect(body).not.toContain("No OS package changed");
    expect(body).not.toContain("Packages: 0");
  });

  it("stops with one error for a REPIN_ADVISORY_FEEDS entry it cannot read, having written nothing", async () => {
    await world.createRepo("svc", { Dockerfile: "FROM scratch\n" });
    world.sim.resetLog();
    const run = await runner.run("svc", {}, { REPIN_ADVISORY_FEEDS: "secdb:https://feeds.example/security.json" });
    expect(run.code).toBe(1);
    expect(errorsOf(run)).toEqual([expect.stringMatching(/^::error::repin: REPIN_ADVISORY_FEEDS: .*secdb feed needs an ecosystem/)]);
    expect(world.sim.writes()).toBe(0);
  });
});
