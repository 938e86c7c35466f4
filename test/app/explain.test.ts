import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFeedFetcher } from "../../src/advisory-feeds/index.js";
import { createAdvisoryStore } from "../../src/explain/index.js";
import { openStoreDir } from "../../src/store/index.js";
import { parseMarker } from "../../src/proposals/index.js";
import {
  apkDbLayer,
  filler,
  layer,
  pushRawImage,
  pushRawIndex,
  secdb,
  startFeedServer,
  wolfiBase,
  type FeedServer,
  type Pkg,
} from "../explain/images.js";
import { sha256, type TestPlatform } from "../support/registry/index.js";
import { comment, dashboardOf, dockerfile, OWNER, startWorld, type World } from "./support/world.js";

// End to end: images whose layers carry real apk databases in the real registry, a secdb feed on
// a loopback server, the real Probot server and the GitHub simulator.
let world: World;
let feeds: FeedServer;
// Set by a test to give each boot (a process restart) the same data directory (the store).
let dataDir: string | null = null;
const FEED = "/os/security.json";
const MAX_BYTES = 200_000;

beforeEach(async () => {
  feeds = await startFeedServer();
  feeds.set(FEED, secdb({ curl: { "8.11.0-r0": ["CVE-2024-9681"] } }));
  world = await startWorld({
    repin: () => ({
      advisories: createAdvisoryStore({
        feeds: [{ format: "secdb", ecosystem: "wolfi", url: `${feeds.url}${FEED}` }],
        fetcher: createFeedFetcher(),
      }),
      explainMaxBytes: MAX_BYTES,
      ...(dataDir ? { store: () => openStoreDir(dataDir!) } : {}),
    }),
  });
});
afterEach(async () => {
  await world.stop();
  await feeds.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = null;
});

const NEVER = 'schedule: ["* * 31 2 *"]\n';
const open = (repo: string) => world.sim.pulls(OWNER, repo).filter((pull) => pull.state === "open");
const lastComment = (repo: string, number: number) => world.sim.comments(OWNER, repo, number).at(-1)?.body ?? "";
const amd64: TestPlatform = { os: "linux", architecture: "amd64" };
const arm64: TestPlatform = { os: "linux", architecture: "arm64" };

/** A Wolfi-like image: some binaries, the apk database, certificates. */
async function wolfi(name: string, tag: string | null, packages: readonly Pkg[], platform = amd64, extraBytes = 5_000) {
  const layers = [
    await layer([filler("usr/lib/libc.so", extraBytes)]),
    await apkDbLayer([...wolfiBase, ...packages]),
    await layer([filler("etc/ssl/certs/bundle.pem", 2_000)]),
  ];
  return { ...(await pushRawImage(world.registry, name, tag, layers, platform)), layers: layers.map((l) => sha256(l)) };
}

const OPENSSL_OLD: readonly Pkg[] = [
  ["openssl", "3.3.1-r0"],
  ["libcrypto3", "3.3.1-r0", "openssl"],
  ["busybox", "1.36.1-r1"],
];
const OPENSSL_NEW: readonly Pkg[] = [
  ["openssl", "3.3.2-r0"],
  ["libcrypto3", "3.3.2-r0", "openssl"],
  ["busybox", "1.36.1-r1"],
];

async function blobRequestsSince(mark: number) {
  await world.registry.settle();
  return world.registry
    .requests()
    .slice(mark)
    .filter((request) => request.path.includes("/blobs/") && request.method === "GET");
}
async function logLength() {
  await world.registry.settle();
  return world.registry.requests().length;
}

describe("PRs that explain", () => {
  it("opens a security fix at once, outside the schedule and before minimumAge; a plain bump stays held; nothing more on the next cycle", async () => {
    const config = `${NEVER}minimumAge: 24h\nlabels: [dependencies]\n`;
    const old = await wolfi("chainguard/static", "latest", OPENSSL_OLD);
    const plainOld = await wolfi("tools", "latest", [["busybox", "1.36.1-r1"]]);
    await world.createRepo("svc", {
      Dockerfile: dockerfile(world.image("chainguard/static"), "latest", old.digest),
      ".github/repin.yml": config,
    });
    await world.createRepo("plain", {
      Dockerfile: dockerfile(world.image("tools"), "latest", plainOld.digest),
      ".github/repin.yml": config,
    });
    const fresh = await wolfi("chainguard/static", "latest", OPENSSL_NEW);
    await wolfi("tools", "latest", [["busybox", "1.36.1-r2"]]);

    // No advisory names the openssl fix yet: both bumps wait for the schedule.
    await world.repin.runCycle();
    expect(open("svc")).toHaveLength(0);
    expect(dashboardOf(world, "svc")!.body).toContain("held by minimumAge until");

    // The feed publishes the fix; the tag's digest already carries it: the PR opens in this cycle.
    feeds.set(FEED, secdb({ openssl: { "3.3.2-r0": ["CVE-2024-5535"] }, curl: { "8.11.0-r0": ["CVE-2024-9681"] } }));
    await world.repin.runCycle();
    const [pull] = open("svc");
    expect(pull?.title).toBe(`Bump ${world.image("chainguard/static")}:latest digest to ${fresh.digest.slice(7, 19)}`);
    expect(pull!.labels).toEqual(["dependencies", "security"]);
    expect(parseMarker(pull!.body)?.digest).toBe(fresh.digest);
    const body = pull!.body!;
    await mkdir(new URL("./__snapshots__/", import.meta.url), { recursive: true });
    await writeFile(new URL("./__snapshots__/security-pr-body.md", import.meta.url), body);
    expect(body).toContain("> Opened outside the schedule and before minimumAge because it fixes 1 advisory.");
    expect(body).toContain("Packages compared for `linux/amd64`.");
    expect(body).toContain(`### What changed in \`${world.image("chainguard/static")}:latest\``);
    expect(body).toContain(
      "**Security fix:** 1 advisory fixed. Packages: 2 upgraded, 0 downgraded, 0 added, 0 removed.",
    );
    expect(body).toContain(
      "| [CVE-2024-5535](https://nvd.nist.gov/vuln/detail/CVE-2024-5535) | openssl | 3.3.1-r0 → 3.3.2-r0 | — |",
    );
    expect(body).toContain("- openssl (x86\\_64): 3.3.1-r0 → 3.3.2-r0");
    expect(body).toContain("- libcrypto3 (x86\\_64): 3.3.1-r0 → 3.3.2-r0");
    expect(body.indexOf("### What changed")).toBeLessThan(body.indexOf("<details><summary>Commands"));
    expect(dashboardOf(world, "svc")!.body).toContain(`| PR open #${pull!.number} |`);

    // A restart forgets minimumAge clocks and explanations: the PR is found again as a security
    // fix and left exactly as it is (no flip-flop: not closed, not rewritten).
    await world.restart();
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(
      world.sim
        .writeLog()
        .filter((write) => write.path.startsWith(`/repos/${OWNER}/svc/`) && /\/(pulls|git)\b/.test(write.path)),
    ).toEqual([]);
    expect(open("svc").map((p) => [p.number, p.body])).toEqual([[pull!.number, body]]);

    // The plain bump fixes nothing: still held by the schedule (and minimumAge).
    expect(open("plain")).toHaveLength(0);
    expect(dashboardOf(world, "plain")!.body).toMatch(/\| held by minimumAge until [^|]+\|/);
    world.advance(25 * 3600_000);
    await world.repin.runCycle();
    expect(open("plain")).toHaveLength(0);
    expect(dashboardOf(world, "plain")!.body).toContain("| held by schedule |");

    // Nothing new: no GitHub write, no layer downloaded, the feed answers 304.
    const mark = await logLength();
    const feedMark = feeds.requests().length;
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
    expect(await blobRequestsSince(mark)).toEqual([]);
    expect(feeds.requests().slice(feedMark)).toEqual([[FEED, 304]]);
    expect(open("svc")).toHaveLength(1);

    // A feed change about packages these images do not hold costs no GitHub request that counts.
    feeds.set(
      FEED,
      secdb({
        openssl: { "3.3.2-r0": ["CVE-2024-5535"] },
        curl: { "8.11.0-r0": ["CVE-2024-9681"] },
        zlib: { "1.3.1-r0": ["CVE-2023-45853"] },
      }),
    );
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(feeds.requests().at(-1)).toEqual([FEED, 200]);
    expect(world.sim.writes()).toBe(0);
    expect(world.sim.requests.filter((request) => request.path.startsWith("/repos/") && request.rateLimited)).toEqual(
      [],
    );
  });

  it("reads no layer again after a restart with the SQLite inventory cache", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "repin-data-"));
    await world.restart();
    const old = await wolfi("chainguard/static", "latest", OPENSSL_OLD);
    await world.createRepo("svc", {
      Dockerfile: dockerfile(world.image("chainguard/static"), "latest", old.digest),
      ".github/repin.yml": NEVER,
    });
    await wolfi("chainguard/static", "latest", OPENSSL_NEW);
    feeds.set(FEED, secdb({ openssl: { "3.3.2-r0": ["CVE-2024-5535"] } }));
    let mark = await logLength();
    await world.repin.runCycle();
    expect((await blobRequestsSince(mark)).length).toBeGreaterThanOrEqual(6);
    const [pull] = open("svc");
    expect(pull!.labels).toEqual(["security"]);

    // A new process: explanations and feeds start empty; the inventories are in the store.
    await world.restart();
    mark = await logLength();
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(await blobRequestsSince(mark)).toEqual([]);
    expect(open("svc").map((p) => [p.number, p.body])).toEqual([[pull!.number, pull!.body]]);
  });

  it("explains the configured platform of a multi-platform index", async () => {
    const index = async (amd: readonly Pkg[], arm: readonly Pkg[]) =>
      pushRawIndex(world.registry, "multi", "latest", [
        await wolfi("multi", null, amd, amd64),
        await wolfi("multi", null, arm, arm64),
      ]);
    const old = await index(OPENSSL_OLD, OPENSSL_OLD);
    await world.createRepo("svc", {
      Dockerfile: dockerfile(world.image("multi"), "latest", old),
      ".github/repin.yml": "platforms: [linux/arm64]\n",
    });
    // Each platform got its own openssl build: the body must show arm64's.
    await index(
      [
        ["openssl", "3.3.3-r0"],
        ["busybox", "1.36.1-r1"],
      ],
      [
        ["openssl", "3.3.2-r0"],
        ["busybox", "1.36.1-r1"],
      ],
    );
    feeds.set(FEED, secdb({ openssl: { "3.3.2-r0": ["CVE-2024-5535"] } }));
    await world.repin.runCycle();
    const [pull] = open("svc");
    expect(pull!.body).toContain("Packages compared for `linux/arm64`.");
    expect(pull!.body).toContain("- openssl (x86\\_64): 3.3.1-r0 → 3.3.2-r0");
    expect(pull!.body).not.toContain("3.3.3-r0");
    expect(pull!.body).toContain("- libcrypto3 3.3.1-r0");
    // Inside the schedule: labelled, but no "opened outside the schedule" line.
    expect(pull!.labels).toEqual(["security"]);
    expect(pull!.body).not.toContain("Opened outside");
  });

  it("opens the PR without a diff, with a one-line note, when the new image is over the size limit", async () => {
    const old = await wolfi("big", "latest", OPENSSL_OLD);
    await world.createRepo("svc", {
      Dockerfile: dockerfile(world.image("big"), "latest", old.digest),
      ".github/repin.yml": NEVER,
    });
    const huge = await wolfi("big", "latest", OPENSSL_NEW, amd64, MAX_BYTES + 50_000);
    feeds.set(FEED, secdb({ openssl: { "3.3.2-r0": ["CVE-2024-5535"] } }));
    const mark = await logLength();
    await world.repin.runCycle();
    // Outside the schedule: it cannot be shown to fix anything, so it waits like any bump.
    expect(open("svc")).toHaveLength(0);
    // The declared sizes tell: the new image's layers are never downloaded (the old image's are).
    const downloaded = (await blobRequestsSince(mark)).map((r) => r.path.split("/").at(-1));
    expect(downloaded).toEqual(expect.arrayContaining(old.layers));
    expect(downloaded.filter((digest) => huge.layers.includes(digest!))).toEqual([]);

    await world.sim.commitFiles(OWNER, "svc", "main", { ".github/repin.yml": "labels: [deps]\n" });
    await world.repin.runCycle();
    const [pull] = open("svc");
    const notes = pull!.body!.split("\n").filter((line) => line.startsWith("> Packages not compared for"));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      new RegExp(
        `^> Packages not compared for \`${world.image("big")}:latest\`: could not read the new image sha256:[0-9a-f]{12}: the image's layers are \\d+ bytes, over the ${MAX_BYTES}-byte limit$`,
      ),
    );
    expect(pull!.body).not.toContain("### What changed");
    expect(pull!.labels).toEqual(["deps"]);
  });

  it("opens the PR with a note when a layer of the new image is cut short", async () => {
    const old = await wolfi("cut", "latest", OPENSSL_OLD);
    await world.createRepo("svc", { Dockerfile: dockerfile(world.image("cut"), "latest", old.digest) });
    const whole = await apkDbLayer([...wolfiBase, ...OPENSSL_NEW]);
    await pushRawImage(world.registry, "cut", "latest", [whole.subarray(0, Math.floor(whole.length / 2))]);
    feeds.set(FEED, secdb({ openssl: { "3.3.2-r0": ["CVE-2024-5535"] } }));
    await world.repin.runCycle();
    const [pull] = open("svc");
    const notes = pull!.body!.split("\n").filter((line) => line.startsWith("> Packages not compared for"));
    expect(notes).toEqual([
      expect.stringMatching(
        new RegExp(
          `^> Packages not compared for \`${world.image("cut")}:latest\`: could not read the new image sha256:[0-9a-f]{12}: layer sha256:[0-9a-f]{12}: `,
        ),
      ),
    ]);
    expect(pull!.labels).toEqual([]);
  });

  it("labels an open PR security, without a new commit, when a feed later publishes a fix its digest carries", async () => {
    const old = await wolfi("chainguard/static", "latest", OPENSSL_OLD);
    await world.createRepo("svc", { Dockerfile: dockerfile(world.image("chainguard/static"), "latest", old.digest) });
    await wolfi("chainguard/static", "latest", OPENSSL_NEW);
    await world.repin.runCycle();
    const [pull] = open("svc");
    expect(pull!.labels).toEqual([]);
    expect(pull!.body).not.toContain("Advisories fixed");
    const head = await world.sim.resolve(OWNER, "svc", pull!.pull!.headRef);

    feeds.set(FEED, secdb({ openssl: { "3.3.2-r0": ["CVE-2024-5535"] } }));
    await world.repin.runCycle();
    const [now] = open("svc");
    expect(now!.number).toBe(pull!.number);
    expect(now!.labels).toEqual(["security"]);
    expect(now!.body).toContain(
      "| [CVE-2024-5535](https://nvd.nist.gov/vuln/detail/CVE-2024-5535) | openssl | 3.3.1-r0 → 3.3.2-r0 | — |",
    );
    expect(now!.body).not.toContain("Opened outside");
    expect(parseMarker(now!.body)?.fixes).toBe(1);
    expect(await world.sim.resolve(OWNER, "svc", pull!.pull!.headRef)).toBe(head);

    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
  });

  it("answers /repin explain with the same explanation, from the cache", async () => {
    const old = await wolfi("chainguard/static", "latest", OPENSSL_OLD);
    await world.createRepo("svc", { Dockerfile: dockerfile(world.image("chainguard/static"), "latest", old.digest) });
    world.sim.setPermission(OWNER, "svc", "wendy", "write");
    await wolfi("chainguard/static", "latest", OPENSSL_NEW);
    feeds.set(FEED, secdb({ openssl: { "3.3.2-r0": ["CVE-2024-5535"] } }));
    await world.repin.runCycle();
    const [pull] = open("svc");
    const mark = await logLength();
    expect((await comment(world, "svc", pull!.number, { user: "wendy" }, "/repin explain")).status).toBe(200);
    const reply = lastComment("svc", pull!.number);
    const section = pull!.body!.slice(
      pull!.body!.indexOf("Packages compared"),
      pull!.body!.indexOf("\n\n<details><summary>Commands"),
    );
    expect(section).toContain("CVE-2024-5535");
    expect(reply).toBe(section);
    expect(await blobRequestsSince(mark)).toEqual([]);
  });

  it("lists advisories waiting for an upstream fix on the dashboard, then opens the PR as soon as the tag carries the fix", async () => {
    const old = await wolfi("chainguard/static", "latest", OPENSSL_OLD);
    await world.createRepo("svc", {
      Dockerfile: dockerfile(world.image("chainguard/static"), "latest", old.digest),
      ".github/repin.yml": NEVER,
    });
    const fixed = await wolfi("chainguard/static", "latest", OPENSSL_NEW);
    feeds.set(FEED, secdb({ openssl: { "3.3.2-r0": ["CVE-2024-5535"] } }));
    await world.repin.runCycle();
    const [first] = open("svc");
    expect(first!.labels).toEqual(["security"]);
    // The PR is merged: the pinned digest is the tag's, and repin explained it, so its inventory is cached.
    await world.sim.mergePull(OWNER, "svc", first!.number, { by: OWNER });
    await world.repin.runCycle();
    expect(await world.sim.readFile(OWNER, "svc", "main", "Dockerfile")).toBe(
      dockerfile(world.image("chainguard/static"), "latest", fixed.digest),
    );
    expect(dashboardOf(world, "svc")!.body).toMatch(/\| current \|/);

    // A busybox advisory with a fix upstream that the tag's image does not carry yet.
    feeds.set(
      FEED,
      secdb({ openssl: { "3.3.2-r0": ["CVE-2024-5535"] }, busybox: { "1.36.1-r2": ["CVE-2023-42363"] } }),
    );
    await world.repin.runCycle();
    expect(open("svc")).toHaveLength(0);
    // As rendered: the dashboard escapes Markdown punctuation in the state text.
    const rendered = dashboardOf(world, "svc")!.body!.replace(/\\(.)/g, "$1");
    expect(rendered).toContain("| waiting for upstream fix: CVE-2023-42363 in busybox (fixed in 1.36.1-r2) |");

    // The feed host goes down: its last copy stands (the repository is read again after a commit).
    await feeds.stop();
    await world.sim.commitFiles(OWNER, "svc", "main", { "README.md": "hello\n" });
    await world.repin.runCycle();
    expect(dashboardOf(world, "svc")!.body).toContain("waiting for upstream fix: CVE\\-2023\\-42363");

    // Upstream ships it: the PR opens in the next cycle, outside the schedule.
    await wolfi("chainguard/static", "latest", [
      ["openssl", "3.3.2-r0"],
      ["libcrypto3", "3.3.2-r0", "openssl"],
      ["busybox", "1.36.1-r2"],
    ]);
    await world.repin.runCycle();
    const [second] = open("svc");
    expect(second!.labels).toEqual(["security"]);
    expect(second!.body).toContain("> Opened outside the schedule because it fixes 1 advisory.");
    expect(second!.body).toContain("CVE-2023-42363");
    expect(dashboardOf(world, "svc")!.body).toContain(`| PR open #${second!.number} |`);
  });
});
