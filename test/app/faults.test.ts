import { afterEach, describe, expect, it } from "vitest";
import { dockerfile, OWNER, startWorld, type World } from "./support/world.js";

let world: World;
afterEach(async () => {
  await world.stop();
});

const open = (repo: string) => world.sim.pulls(OWNER, repo).filter((pull) => pull.state === "open");

async function seed(repos: readonly string[]): Promise<void> {
  const image = world.image("base");
  const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
  for (const repo of repos) await world.createRepo(repo, { Dockerfile: dockerfile(image, "latest", old) });
  await world.push("base", "latest", "2024-02-01T00:00:00Z");
}

describe("faults", () => {
  it("retries GitHub 502s and opens exactly one PR", async () => {
    world = await startWorld({ retries: 3 });
    await seed(["svc"]);
    world.sim.injectFault({ method: "POST", path: /\/git\/commits$/, status: 502, times: 2 });
    world.sim.injectFault({ method: "GET", path: /\/git\/trees\//, status: 502, times: 1 });
    const report = await world.repin.runCycle();
    expect(report.outcomes.map((outcome) => outcome.kind)).toEqual(["reconciled"]);
    expect(open("svc")).toHaveLength(1);
    expect(world.sim.requests.filter((request) => request.fault)).toHaveLength(3);
  });

  it("defers a repository hit by rate limits (403, 429) to the next cycle, with no duplicate PR; others go on", async () => {
    world = await startWorld();
    await seed(["one", "two"]);
    world.sim.injectFault({ method: "GET", path: "/repos/acme/one/pulls", status: 403, rateLimited: true, times: 1 });
    world.sim.injectFault({ method: "POST", path: "/repos/acme/two/pulls", status: 429, retryAfter: 1, times: 1 });
    const first = await world.repin.runCycle();
    expect(first.outcomes.map((outcome) => outcome.kind).sort()).toEqual(["failed", "failed"]);
    expect(open("one")).toHaveLength(0);
    expect(open("two")).toHaveLength(0);

    const second = await world.repin.runCycle();
    expect(second.outcomes.map((outcome) => outcome.kind)).toEqual(["reconciled", "reconciled"]);
    expect(open("one")).toHaveLength(1);
    expect(open("two")).toHaveLength(1);
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
  });

  it("finishes a job killed between creating the branch and opening the PR, reusing the branch", async () => {
    world = await startWorld();
    await seed(["svc"]);
    world.sim.injectFault({ method: "POST", path: "/repos/acme/svc/pulls", status: 502, times: 1 });
    await world.repin.runCycle();
    const branches = Object.keys(await world.sim.branches(OWNER, "svc")).filter((name) => name.startsWith("repin/"));
    expect(branches).toHaveLength(1);
    expect(open("svc")).toHaveLength(0);

    await world.repin.runCycle();
    expect(open("svc")).toHaveLength(1);
    expect(open("svc")[0]!.pull!.headRef).toBe(branches[0]);
    expect(Object.keys(await world.sim.branches(OWNER, "svc")).filter((name) => name.startsWith("repin/"))).toEqual(
      branches,
    );
  });

  it("reports a repository with a bad config or a truncated tree and goes on with the others", async () => {
    world = await startWorld({ treeLimit: 6 });
    await seed(["good"]);
    const image = world.image("base");
    await world.createRepo("bad", {
      Dockerfile: dockerfile(image, "latest", "sha256:" + "0".repeat(64)),
      ".github/repin.yml": "group: sideways\n",
    });
    await world.createRepo(
      "huge",
      Object.fromEntries(
        Array.from({ length: 8 }, (_, i) => [
          `d${i}/Dockerfile`,
          dockerfile(image, "latest", "sha256:" + "1".repeat(64)),
        ]),
      ),
    );
    const report = await world.repin.runCycle();
    const kinds = Object.fromEntries(report.outcomes.map((outcome) => [outcome.repo, outcome.kind]));
    expect(kinds).toEqual({ "acme/good": "reconciled", "acme/bad": "config-error", "acme/huge": "failed" });
    const huge = report.outcomes.find((outcome) => outcome.repo === "acme/huge");
    expect(huge && "reason" in huge ? huge.reason : "").toContain("too large");
    expect(open("good")).toHaveLength(1);
    expect(open("bad")).toHaveLength(0);
  });
});
