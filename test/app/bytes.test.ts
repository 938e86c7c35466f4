import { describe, expect, it } from "vitest";
import { dashboardOf, dockerfile, OWNER, useWorld } from "./support/world.js";

// SPEC 5 "Files are bytes": the App never rewrites a file that is not valid UTF-8, and keeps a BOM and CRLF.
const world = useWorld();
const open = (repo: string) => world.sim.pulls(OWNER, repo).filter((pull) => pull.state === "open");

describe("files are bytes", () => {
  it("skips a Latin-1 Dockerfile with the reason and never rewrites it, while a UTF-8 one with a BOM and CRLF gets its PR", async () => {
    const old = await world.push("app", "latest", "v1");
    const from = (digest: string) => dockerfile(world.image("app"), "latest", digest).replace(/\n/g, "\r\n");
    // "# Größe" in Latin-1: 0xF6 and 0xDF are not UTF-8.
    const latin1 = Buffer.concat([
      Buffer.from([0x23, 0x20, 0x47, 0x72, 0xf6, 0xdf, 0x65, 0x0a]),
      Buffer.from(from(old)),
    ]);
    await world.sim.createRepo(OWNER, "svc", {
      installationId: world.installationId,
      files: { Dockerfile: `\uFEFF${from(old)}`, "legacy/Dockerfile": latin1 },
    });
    const fresh = await world.push("app", "latest", "v2");
    await world.repin.runCycle();

    const [pull] = open("svc");
    expect(pull).toBeDefined();
    const branch = pull!.pull!.headRef;
    // The UTF-8 file: only the digest changed; its BOM and CRLF line ends are as they were.
    expect(await world.sim.readFile(OWNER, "svc", branch, "Dockerfile")).toBe(`\uFEFF${from(fresh)}`);
    // The Latin-1 file: not in the PR's diff, the same blob on the branch as on main.
    const diff = await world.sim.gitDiff(OWNER, "svc", "main", branch);
    expect(diff).toContain("Dockerfile");
    expect(diff).not.toContain("legacy/Dockerfile");
    expect(pull!.body).not.toContain("legacy/Dockerfile");
    expect(dashboardOf(world, "svc")!.body).toContain(
      "| `legacy/Dockerfile` | — | — | — | — | skipped: not UTF\\-8 text; not read, so it cannot be rewritten without loss |",
    );
  });
});
