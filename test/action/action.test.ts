import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitSeal, FOREIGN_NOTE, markerKey, parseMarker } from "../../src/proposals/index.js";
import { dashboardOf, dockerfile, OWNER, startWorld, type World } from "../app/support/world.js";
import { createRunner, errorsOf, type Runner } from "./support.js";

const SHARED = "shared marker secret";
const APP_KEY = "the App's own key";
let world: World;
let runner: Runner;

async function start(repinKey?: string): Promise<void> {
  world = await startWorld(repinKey === undefined ? {} : { repin: () => ({ privateKey: repinKey }) });
  runner = await createRunner(world);
}

afterEach(async () => {
  delete process.env.REPIN_MARKER_KEY;
  await runner?.cleanup();
  await world?.stop();
});

const treeReads = () => world.sim.requests.filter((request) => request.operationId === "git/get-tree").length;
const openPulls = (repo: string) => world.sim.pulls(OWNER, repo).filter((pull) => pull.state === "open");

/** A repository whose base image moved: one bump to propose. */
async function movedBase(): Promise<{ image: string; old: string; fresh: string }> {
  const image = world.image("base");
  const old = await world.push("base", "1.0", "2024-01-01T00:00:00Z");
  await world.createRepo("svc", { Dockerfile: dockerfile(image, "1.0", old), "README.md": "hi\n" });
  const fresh = await world.push("base", "1.0", "2024-02-01T00:00:00Z");
  return { image, old, fresh };
}

describe("the Action bundle, run as the runner runs it", () => {
  beforeEach(() => start());

  it("opens the PR and the dashboard like the App, sets its outputs, and a second run writes nothing", async () => {
    const { image, old, fresh } = await movedBase();
    const first = await runner.run("svc");
    expect(first.stderr).toBe("");
    expect(errorsOf(first)).toEqual([]);
    expect(first.code).toBe(0);

    const pulls = openPulls("svc");
    expect(pulls).toHaveLength(1);
    const pull = pulls[0]!;
    const branch = `repin/${world.registry.host.replace(":", "-")}/base/1.0`;
    expect(pull.pull?.headRef).toBe(branch);
    expect(pull.user).toBe("github-actions[bot]");
    expect(pull.title).toBe(`Bump ${image}:1.0 digest to ${fresh.slice(7, 19)}`);
    expect(parseMarker(pull.body)?.commit).toBe(await world.sim.resolve(OWNER, "svc", branch));
    const diff = await world.sim.gitDiff(OWNER, "svc", "main", branch);
    expect(diff).toContain(`-FROM ${image}:1.0@${old}`);
    expect(diff).toContain(`+FROM ${image}:1.0@${fresh}`);
    expect(dashboardOf(world, "svc")?.body).toContain(`#${pull.number}`);

    expect(JSON.parse(first.outputs.prs!)).toEqual([pull.number]);
    const rows = JSON.parse(first.outputs.updates!) as Record<string, unknown>[];
    expect(rows).toEqual([
      expect.objectContaining({ file: "Dockerfile", line: 1, action: "bump", currentDigest: old, newDigest: fresh }),
    ]);

    world.sim.resetLog();
    const second = await runner.run("svc");
    expect(second.code).toBe(0);
    expect(world.sim.writes()).toBe(0);
    expect(JSON.parse(second.outputs.prs!)).toEqual([]);
    expect(openPulls("svc")).toHaveLength(1);
  });

  it("turns the dashboard off with `dashboard: false` and reads the config from the `config` input", async () => {
    const image = world.image("base");
    const old = await world.push("base", "1.0", "2024-01-01T00:00:00Z");
    await world.createRepo("svc", {
      Dockerfile: dockerfile(image, "1.0", old),
      "ci/repin.yml": "labels: [from-input]\n",
    });
    await world.push("base", "1.0", "2024-02-01T00:00:00Z");
    const run = await runner.run("svc", { dashboard: "false", config: "ci/repin.yml" });
    expect(run.code).toBe(0);
    expect(dashboardOf(world, "svc")).toBeUndefined();
    expect(openPulls("svc")[0]?.labels).toContain("from-input");
  });
});

describe("moving from the Action to the App", () => {
  it("with the same key (REPIN_MARKER_KEY), the App takes the Action's PR and dashboard: no second PR or dashboard", async () => {
    process.env.REPIN_MARKER_KEY = SHARED;
    await start();
    await movedBase();
    expect((await runner.run("svc", { "marker-key": SHARED })).code).toBe(0);
    const [pull] = openPulls("svc");

    world.sim.resetLog();
    await world.install(["svc"]);
    // The seal is trusted: the App takes the PR's head as its own without reading its tree (one read: the base's).
    expect(treeReads()).toBe(1);
    expect(openPulls("svc").map((open) => open.number)).toEqual([pull!.number]);
    expect(world.sim.issues(OWNER, "svc").filter((issue) => issue.title === "repin dashboard")).toHaveLength(1);
    const branch = pull!.pull!.headRef;
    const marker = parseMarker(pull!.body)!;
    expect(marker.sig).toBe(commitSeal(markerKey(SHARED), branch, marker.commit));
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
  });

  it("with another key, the App adopts the PR whose tree is exactly repin's, sealing it with its own key", async () => {
    await start(APP_KEY);
    await movedBase();
    expect((await runner.run("svc", { "marker-key": "the Action's key" })).code).toBe(0);
    const [pull] = openPulls("svc");
    const branch = pull!.pull!.headRef;
    const actionMarker = parseMarker(pull!.body)!;
    expect(actionMarker.sig).not.toBe(commitSeal(markerKey(APP_KEY), branch, actionMarker.commit));

    world.sim.resetLog();
    await world.install(["svc"]);
    // Another key's seal proves nothing: the head is repin's because its tree is exactly repin's.
    expect(treeReads()).toBeGreaterThan(1);
    expect(openPulls("svc").map((open) => open.number)).toEqual([pull!.number]);
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);

    // Adopted, not merely tolerated: when the tag moves again, the App moves that PR, sealed its way.
    const newest = await world.push("base", "1.0", "2024-03-01T00:00:00Z");
    await world.repin.runCycle();
    expect(openPulls("svc").map((open) => open.number)).toEqual([pull!.number]);
    const moved = parseMarker(openPulls("svc")[0]!.body)!;
    expect(moved.digest).toBe(newest);
    expect(moved.commit).toBe(await world.sim.resolve(OWNER, "svc", branch));
    expect(moved.sig).toBe(commitSeal(markerKey(APP_KEY), branch, moved.commit));
  });

  it("with another key, the App leaves an Action PR someone pushed to, says so once, and opens no second PR", async () => {
    await start(APP_KEY);
    await movedBase();
    expect((await runner.run("svc", { "marker-key": "the Action's key" })).code).toBe(0);
    const [pull] = openPulls("svc");
    const branch = pull!.pull!.headRef;
    const pushed = await world.sim.commitFiles(OWNER, "svc", branch, { "extra.txt": "mine\n" }, { author: "dev" });

    await world.install(["svc"]);
    await world.repin.runCycle();
    expect(openPulls("svc").map((open) => open.number)).toEqual([pull!.number]);
    expect(await world.sim.resolve(OWNER, "svc", branch)).toBe(pushed);
    const notes = world.sim.comments(OWNER, "svc", pull!.number).filter((c) => c.body.includes(FOREIGN_NOTE));
    expect(notes).toHaveLength(1);
  });
});
