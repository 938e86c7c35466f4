import { describe, expect, it } from "vitest";
import { parseMarker } from "../../src/proposals/index.js";
import { comment, dashboardOf, dockerfile, example, OWNER, useWorld } from "./support/world.js";

// An ignore survives a crash at any step (SPEC 5): the dashboard is written before a PR's marker
// or state says anything about it. A failed write here stands for the process dying right there;
// the restart that follows has only what GitHub holds.
const world = useWorld();

const open = () => world.sim.pulls(OWNER, "svc").filter((pull) => pull.state === "open");
const WRITER = { user: "wendy" };

async function repoWithPr() {
  const image = world.image("base");
  const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
  await world.createRepo("svc", { Dockerfile: dockerfile(image, "latest", old) });
  world.sim.setPermission(OWNER, "svc", WRITER.user, "write");
  await world.push("base", "latest", "2024-02-01T00:00:00Z");
  await world.repin.runCycle();
  const [pull] = open();
  const dashboard = dashboardOf(world, "svc");
  if (!pull || !dashboard) throw new Error("no PR or no dashboard");
  return { pull, dashboard: dashboard.number };
}

/** The `pull_request.closed` event GitHub sends when a person closes the PR. */
async function closed(number: number, branch: string): Promise<void> {
  const payload = example("pull_request", "closed");
  const pull = payload.pull_request as Record<string, unknown>;
  const repository = payload.repository as Record<string, unknown>;
  const response = await world.deliver("pull_request", {
    ...payload,
    number,
    installation: { id: world.installationId, node_id: "I_1" },
    repository: { ...repository, name: "svc", full_name: `${OWNER}/svc`, default_branch: "main" },
    pull_request: { ...pull, number, merged: false, head: { ...(pull.head as object), ref: branch } },
  });
  expect(response.status).toBe(200);
}

async function restartAndCycle(): Promise<void> {
  await world.restart();
  await world.repin.runCycle();
  await world.repin.runCycle();
}

describe("a PR closed unmerged, recorded in the dashboard", () => {
  it("is not reopened when the dashboard write fails and the process restarts", async () => {
    const { pull, dashboard } = await repoWithPr();
    world.sim.closePull(OWNER, "svc", pull.number, { by: WRITER.user });
    world.sim.injectFault({ method: "PATCH", path: `/repos/${OWNER}/svc/issues/${dashboard}`, status: 500 });
    await closed(pull.number, pull.pull!.headRef);
    expect(world.sim.requests.filter((request) => request.fault)).toHaveLength(1);
    await restartAndCycle();
    expect(open()).toEqual([]);
    expect(world.sim.pulls(OWNER, "svc")).toHaveLength(1);
    expect(dashboardOf(world, "svc")!.body).toContain(`#${pull.number} closed without merging`);
  });

  it("is not reopened when the marker write fails after the dashboard's", async () => {
    const { pull } = await repoWithPr();
    world.sim.closePull(OWNER, "svc", pull.number, { by: WRITER.user });
    world.sim.injectFault({ method: "PATCH", path: `/repos/${OWNER}/svc/pulls/${pull.number}`, status: 500 });
    await closed(pull.number, pull.pull!.headRef);
    expect(world.sim.requests.filter((request) => request.fault)).toHaveLength(1);
    expect(dashboardOf(world, "svc")!.body).toContain(`#${pull.number} closed without merging`);
    await restartAndCycle();
    expect(open()).toEqual([]);
    expect(world.sim.pulls(OWNER, "svc")).toHaveLength(1);
  });
});

describe("`/repin ignore this image`", () => {
  it("when the dashboard write fails: the PR is not closed, nothing claims an ignore, no second PR", async () => {
    const { pull, dashboard } = await repoWithPr();
    world.sim.injectFault({ method: "PATCH", path: `/repos/${OWNER}/svc/issues/${dashboard}`, status: 500 });
    await comment(world, "svc", pull.number, WRITER, "/repin ignore this image");
    await restartAndCycle();
    expect(world.sim.pulls(OWNER, "svc").map((p) => [p.number, p.state])).toEqual([[pull.number, "open"]]);
    expect(parseMarker(open()[0]!.body)?.ignore).toBeUndefined();
  });

  it("when closing the PR fails after the dashboard write: the ignore is recorded and holds after a restart", async () => {
    const { pull } = await repoWithPr();
    world.sim.injectFault({ method: "PATCH", path: `/repos/${OWNER}/svc/pulls/${pull.number}`, status: 500 });
    await comment(world, "svc", pull.number, WRITER, "/repin ignore this image");
    await restartAndCycle();
    expect(dashboardOf(world, "svc")!.body).toContain("/repin ignore this image");
    await world.push("base", "latest", "2024-03-01T00:00:00Z");
    await world.repin.runCycle();
    expect(world.sim.pulls(OWNER, "svc")).toHaveLength(1);
  });

  it("with every write going through, a restart keeps it (the control)", async () => {
    const { pull } = await repoWithPr();
    await comment(world, "svc", pull.number, WRITER, "/repin ignore this image");
    await restartAndCycle();
    expect(open()).toEqual([]);
    expect(world.sim.pulls(OWNER, "svc")).toHaveLength(1);
  });
});
