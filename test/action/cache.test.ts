import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_STATE_FILE } from "../../src/action/index.js";
import { pushIndex } from "../support/registry/index.js";
import { dockerfile, OWNER, startWorld, type World } from "../app/support/world.js";
import { createRunner, errorsOf, type Runner } from "./support.js";

// SPEC 3 and 14: the state folder the workflow restores (actions/cache) keeps the registry's
// content cache and the images' inventories, so a run after one that read everything costs one
// HEAD per unique tag. Counted from the real registry's access log.
let world: World;
let runner: Runner;

beforeEach(async () => {
  world = await startWorld();
  runner = await createRunner(world);
});
afterEach(async () => {
  await runner.cleanup();
  await world.stop();
});

const AMD64 = { os: "linux", architecture: "amd64" };
const ARM64 = { os: "linux", architecture: "arm64" };

async function registryMark(): Promise<number> {
  await world.registry.settle();
  return world.registry.requests().length;
}
async function requestsSince(mark: number): Promise<string[]> {
  await world.registry.settle();
  return world.registry
    .requests()
    .slice(mark)
    .map((request) => `${request.method} ${request.path.replace(/\?.*$/, "")}`);
}

/** Two moved tags (a single image and a multi-arch index) used by three references in two files. */
async function movedTags(): Promise<void> {
  const single = world.image("single");
  const multi = world.image("multi");
  const oldSingle = await world.push("single", "1.0", "2024-01-01T00:00:00Z");
  const platforms = (created: string) => [
    { platform: AMD64, created },
    { platform: ARM64, created },
  ];
  const oldMulti = await pushIndex(world.registry, "multi", "2.0", platforms("2024-01-01T00:00:00Z"));
  await world.createRepo("svc", {
    Dockerfile: dockerfile(single, "1.0", oldSingle, `FROM ${multi}:2.0@${oldMulti.digest}\n`),
    "tools/Dockerfile": dockerfile(multi, "2.0", oldMulti.digest),
  });
  await world.push("single", "1.0", "2024-02-01T00:00:00Z");
  await pushIndex(world.registry, "multi", "2.0", platforms("2024-02-01T00:00:00Z"));
}

describe("the Action's registry cache between runs", () => {
  it("costs one HEAD per unique tag on the run after one that read everything, and more without the cache", async () => {
    await movedTags();
    let mark = await registryMark();
    const first = await runner.run("svc");
    expect(errorsOf(first)).toEqual([]);
    expect(world.sim.pulls(OWNER, "svc").filter((pull) => pull.state === "open")).toHaveLength(2);
    const firstRequests = await requestsSince(mark);
    // Manifests, config blobs and layers (the PR bodies compare packages) were read.
    expect(firstRequests.filter((request) => request.startsWith("GET ")).length).toBeGreaterThan(4);

    mark = await registryMark();
    const second = await runner.run("svc");
    expect(second.code).toBe(0);
    expect((await requestsSince(mark)).sort()).toEqual(["HEAD /v2/multi/manifests/2.0", "HEAD /v2/single/manifests/1.0"]);

    // The same run without the folder actions/cache restores reads manifests, configs and layers again.
    await rm(join(runner.workspace, DEFAULT_STATE_FILE, "..", "cache"), { recursive: true, force: true });
    mark = await registryMark();
    expect((await runner.run("svc")).code).toBe(0);
    expect((await requestsSince(mark)).filter((request) => request.startsWith("GET ")).length).toBeGreaterThan(4);
  });
});
