import { describe, expect, it } from "vitest";
import { renderDashboard } from "../../src/dashboard/index.js";
import { parseMarker } from "../../src/proposals/index.js";
import { dashboardOf, dockerfile, editIssue, OWNER, useWorld } from "./support/world.js";

// An open PR is closed as "already on the base branch" only when the plan says so: a newer digest
// that is held back (minimumAge, schedule) or ignored leaves it open as it is.
const world = useWorld();

const open = (repo: string) => world.sim.pulls(OWNER, repo).filter((pull) => pull.state === "open");
const DAY = 24 * 3_600_000;

/** A repository with `config` and one open repin PR for the tag's second digest. */
async function repoWithPr(config: string) {
  const image = world.image("base");
  const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
  await world.createRepo("svc", { Dockerfile: dockerfile(image, "latest", old), ".github/repin.yml": config });
  world.sim.setPermission(OWNER, "svc", "wendy", "write");
  const first = await world.push("base", "latest", "2024-02-01T00:00:00Z");
  await world.repin.runCycle();
  world.advance(DAY + 60_000);
  await world.repin.runCycle();
  const [pull] = open("svc");
  if (!pull) throw new Error("no PR");
  expect(parseMarker(pull.body)?.digest).toBe(first);
  return { image, first, pull };
}

describe("an open PR and a newer digest repin does not propose yet", () => {
  it("minimumAge: the PR stays as it is until the new digest is old enough, then moves to it in place", async () => {
    const { first, pull } = await repoWithPr("minimumAge: 24h\n");
    const second = await world.push("base", "latest", "2024-03-01T00:00:00Z");
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(open("svc").map((p) => p.number)).toEqual([pull.number]);
    expect(parseMarker(open("svc")[0]!.body)?.digest).toBe(first);
    expect(
      world.sim.writeLog().filter((write) => write.path.includes("/pulls") || write.path.includes("/git/")),
    ).toEqual([]);
    expect(world.sim.comments(OWNER, "svc", pull.number)).toEqual([]);

    world.advance(DAY + 60_000);
    await world.repin.runCycle();
    const after = world.sim.pulls(OWNER, "svc");
    expect(after.map((p) => [p.number, p.state])).toEqual([[pull.number, "open"]]);
    expect(parseMarker(after[0]!.body)?.digest).toBe(second);
  });

  it("schedule: outside the window the PR is neither closed nor rewritten", async () => {
    // Inside the window (any time) first, then a config that never allows updates.
    const { first, pull } = await repoWithPr("minimumAge: 1m\n");
    await world.sim.commitFiles(OWNER, "svc", "main", { ".github/repin.yml": 'schedule: ["* * 31 2 *"]\n' });
    await world.push("base", "latest", "2024-03-01T00:00:00Z");
    await world.repin.runCycle();
    expect(open("svc").map((p) => p.number)).toEqual([pull.number]);
    expect(parseMarker(open("svc")[0]!.body)?.digest).toBe(first);
    expect(world.sim.comments(OWNER, "svc", pull.number)).toEqual([]);
  });

  it("an ignored newer digest: the PR for the older one stays open as it is (it is still a valid bump)", async () => {
    const { first, pull } = await repoWithPr("minimumAge: 1m\n");
    const second = await world.push("base", "latest", "2024-03-01T00:00:00Z");
    const key = parseMarker(pull.body)!.key;
    const dashboard = dashboardOf(world, "svc")!;
    // A writer's edit that adds an ignore of the newer digest (as repin would render it).
    const ignore = {
      kind: "digest",
      image: key.slice(0, key.lastIndexOf(":")),
      tag: "latest",
      digest: second,
      reason: "command",
      by: "wendy",
      at: "2024-03-01T00:00:00.000Z",
    } as const;
    const body = renderDashboard({ references: [], openPrs: [], ignores: [ignore], paused: null });
    expect((await editIssue(world, "svc", dashboard.number, { user: "wendy" }, body)).status).toBe(200);
    world.advance(DAY);
    await world.repin.runCycle();
    expect(dashboardOf(world, "svc")!.body).toContain("ignored (digest)");
    expect(open("svc").map((p) => p.number)).toEqual([pull.number]);
    expect(parseMarker(open("svc")[0]!.body)?.digest).toBe(first);
    expect(world.sim.comments(OWNER, "svc", pull.number)).toEqual([]);
  });
});
