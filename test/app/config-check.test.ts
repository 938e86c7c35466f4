import { describe, expect, it } from "vitest";
import { dockerfile, OWNER, useWorld } from "./support/world.js";

const world = useWorld();

const open = (repo: string) => world.sim.pulls(OWNER, repo).filter((pull) => pull.state === "open");
const checksOn = async (repo: string) => {
  const head = await world.sim.resolve(OWNER, repo, "main");
  return world.sim.checkRuns(OWNER, repo).filter((run) => run.name === "repin/config" && run.headSha === head);
};

describe("config as a contract: the repin/config check", () => {
  it.each([
    // The YAML parser finds the unclosed flow sequence on the next line.
    ["bad YAML", "labels: [a\npin: true\n", 2],
    ["a wrong type", "pin: true\nprConcurrentLimit: lots\n", 2],
    ["an unknown key", "pin: false\n\nlabes: [deps]\n", 3],
  ])("fails with file and line for %s, pauses PRs, and goes green once fixed", async (_what, config, line) => {
    const image = world.image("base");
    const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
    await world.createRepo("svc", { Dockerfile: dockerfile(image, "latest", old), ".github/repin.yml": config });
    await world.push("base", "latest", "2024-02-01T00:00:00Z");
    await world.repin.runCycle();
    expect(open("svc")).toHaveLength(0);
    const [failed, ...more] = await checksOn("svc");
    expect(more).toHaveLength(0);
    expect(failed).toMatchObject({ status: "completed", conclusion: "failure" });
    expect(failed!.output.title).toContain(`.github/repin.yml:${line}`);
    expect(failed!.output.summary).toContain(`line ${line}`);
    expect(failed!.output.annotationsCount).toBe(1);

    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);

    await world.sim.commitFiles(OWNER, "svc", "main", { ".github/repin.yml": "labels: [deps]\n" });
    await world.repin.runCycle();
    const [passed] = await checksOn("svc");
    expect(passed).toMatchObject({ status: "completed", conclusion: "success" });
    expect(open("svc")).toHaveLength(1);
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
  });

  it("shows the pause on an existing dashboard and does not write the check twice after a restart", async () => {
    const image = world.image("base");
    const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
    await world.createRepo("svc", { Dockerfile: dockerfile(image, "latest", old) });
    await world.repin.runCycle();
    await world.sim.commitFiles(OWNER, "svc", "main", { ".github/repin.yml": "group: everything\n" });
    await world.repin.runCycle();
    const dashboard = world.sim.issues(OWNER, "svc").find((issue) => issue.title === "repin dashboard")!;
    expect(dashboard.body).toContain("repin opens and updates no PRs here until this is fixed");
    expect(dashboard.body).toContain("Dockerfile");
    expect(await checksOn("svc")).toHaveLength(1);

    await world.restart();
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
  });
});
