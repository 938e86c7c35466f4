import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { pushIndex } from "../support/registry/index.js";
import { OWNER, useWorld } from "./support/world.js";

// SPEC 5 "The PR body says only what repin checked", end to end: images without a package
// database, an index without a creation annotation, a digest in an ARG default, the commit body.
const world = useWorld();
const open = (repo: string) => world.sim.pulls(OWNER, repo).filter((pull) => pull.state === "open");
const amd64 = { os: "linux", architecture: "amd64" };
const arm64 = { os: "linux", architecture: "arm64" };

describe("a PR says only what repin checked", () => {
  it("says why packages were not compared, lists the ARG line, and writes a commit body", async () => {
    const old = await world.push("base", "latest", "2026-01-01T00:00:00Z");
    await world.createRepo("svc", { Dockerfile: `ARG BASE=${world.image("base")}:latest@${old}\n\nFROM \${BASE}\n` });
    const fresh = await world.push("base", "latest", "2026-02-01T00:00:00Z");
    await world.repin.runCycle();

    const [pull] = open("svc");
    const body = pull!.body!;
    // world.push images carry a single empty layer: no package database on either side.
    expect(body).toContain(
      `> Packages not compared for \`${world.image("base")}:latest\`: the old image has no apk or dpkg package database; the new image has no apk or dpkg package database`,
    );
    expect(body).not.toContain("No OS package changed");
    expect(body).not.toContain("Packages: 0");
    expect(body).toContain(
      `| \`Dockerfile\` | 1 (\`ARG\` default, used on line 3) | \`${world.image("base")}\` | \`latest\` | \`${old}\` → \`${fresh}\` |`,
    );
    expect(body).toContain("created 2026-02-01T00:00:00Z");

    const message = execFileSync(
      "git",
      ["-C", world.sim.repoDir(OWNER, "svc"), "log", "-1", "--format=%B", pull!.pull!.headRef],
      {
        encoding: "utf8",
      },
    );
    expect(message).toContain(`The tag ${world.image("base")}:latest moved to a new digest in its registry.`);
    expect(message).toContain(
      `- Dockerfile line 1 (ARG default, used on line 3): ${world.image("base")} latest, ${old} -> ${fresh}`,
    );
    expect(message).toContain(
      `New ${world.image("base")}:latest: created 2026-02-01T00:00:00Z; platforms linux/amd64.`,
    );
  });

  it("takes an index's creation time from the built platform's config when the index has no annotation, reading it once", async () => {
    const index = (amd: string, arm: string) =>
      pushIndex(world.registry, "multi", "latest", [
        { platform: amd64, created: amd },
        { platform: arm64, created: arm },
      ]);
    const old = await index("2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z");
    await world.createRepo("svc", {
      Dockerfile: `FROM ${world.image("multi")}:latest@${old.digest}\n`,
      ".github/repin.yml": "platforms: [linux/arm64]\n",
    });
    const fresh = await index("2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z");
    await world.repin.runCycle();
    const [pull] = open("svc");
    expect(pull!.body).toContain(`created 2026-03-02T00:00:00Z; platforms linux/amd64, linux/arm64`);

    // The head moves: the plan is made again, the child is not read again.
    await world.sim.commitFiles(OWNER, "svc", "main", { "README.md": "hello\n" });
    await world.repin.runCycle();
    await world.registry.settle();
    const arm = fresh.children.find((child) => child.platform.architecture === "arm64")!;
    const childReads = world.registry
      .requests()
      .filter((r) => r.method === "GET" && r.path.endsWith(`/manifests/${arm.digest}`));
    expect(childReads).toHaveLength(1);
  });
});
