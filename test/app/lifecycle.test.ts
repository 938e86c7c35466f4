import { describe, expect, it } from "vitest";
import { parseMarker } from "../../src/proposals/index.js";
import { dockerfile, OWNER, useWorld } from "./support/world.js";

const world = useWorld();

const openPulls = (repo: string) => world.sim.pulls(OWNER, repo).filter((pull) => pull.state === "open");

describe("install → living PR", () => {
  it("opens one PR with exactly the digest change, signed, and a second cycle writes nothing", async () => {
    const image = world.image("base");
    const old = await world.push("base", "1.0", "2024-01-01T00:00:00Z");
    await world.createRepo("svc", { Dockerfile: dockerfile(image, "1.0", old), "README.md": "hi\n" });
    const fresh = await world.push("base", "1.0", "2024-02-01T00:00:00Z");

    const response = await world.install(["svc"]);
    expect(response.status).toBe(200);

    const pulls = openPulls("svc");
    expect(pulls).toHaveLength(1);
    const pull = pulls[0]!;
    const branch = `repin/${world.registry.host.replace(":", "-")}/base/1.0`;
    expect(pull.pull?.headRef).toBe(branch);
    expect(pull.title).toBe(`Bump ${image}:1.0 digest to ${fresh.slice(7, 19)}`);
    const diff = await world.sim.gitDiff(OWNER, "svc", "main", branch);
    expect(diff).toContain(`-FROM ${image}:1.0@${old}`);
    expect(diff).toContain(`+FROM ${image}:1.0@${fresh}`);
    expect(diff.split("\n").filter((line) => /^[+-][^+-]/.test(line))).toHaveLength(2);
    expect((await world.sim.readCommit(OWNER, "svc", branch))?.verified).toBe(true);
    const marker = parseMarker(pull.body);
    expect(marker?.digest).toBe(fresh);
    expect(marker?.commit).toBe(await world.sim.resolve(OWNER, "svc", branch));
    expect(pull.body).toContain("| `Dockerfile` | 1 |");
    expect(pull.body).toContain("/repin rebase");
    expect(pull.body).toContain("linux/amd64");

    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
    expect(world.sim.schemaViolations()).toEqual([]);
  });

  it("updates the same PR when the tag moves again, then does nothing more after the merge", async () => {
    const image = world.image("base");
    const old = await world.push("base", "1.0", "2024-01-01T00:00:00Z");
    await world.createRepo("svc", {
      Dockerfile: dockerfile(image, "1.0", old),
      "sub/app.Dockerfile": dockerfile(image, "1.0", old),
    });
    await world.push("base", "1.0", "2024-02-01T00:00:00Z");
    await world.repin.runCycle();
    const [first] = openPulls("svc");
    expect(first).toBeDefined();

    const newer = await world.push("base", "1.0", "2024-03-01T00:00:00Z");
    await world.repin.runCycle();
    const pulls = world.sim.pulls(OWNER, "svc");
    expect(pulls).toHaveLength(1);
    expect(pulls[0]!.number).toBe(first!.number);
    expect(pulls[0]!.title).toContain(newer.slice(7, 19));
    const branch = pulls[0]!.pull!.headRef;
    expect(await world.sim.readFile(OWNER, "svc", branch, "sub/app.Dockerfile")).toBe(dockerfile(image, "1.0", newer));
    expect(await world.sim.readFile(OWNER, "svc", branch, "Dockerfile")).toBe(dockerfile(image, "1.0", newer));

    await world.sim.mergePull(OWNER, "svc", first!.number, { by: OWNER });
    world.sim.resetLog();
    await world.repin.runCycle();
    // Only the dashboard changes: the reference is current now.
    expect(world.sim.writeLog().map((write) => `${write.method} ${write.path}`)).toEqual([
      expect.stringMatching(/^PATCH \/repos\/acme\/svc\/issues\/\d+$/),
    ]);
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
    expect(world.sim.pulls(OWNER, "svc")).toHaveLength(1);
  });
});
