import { describe, expect, it } from "vitest";
import { parseMarker } from "../../src/proposals/index.js";
import { dockerfile, forcePush, OWNER, useWorld } from "./support/world.js";

// Which branches and PRs are repin's: a copied commit message or a PR from a repin/ branch does
// not make them so; who made the commit and who opened the PR does.
const world = useWorld();

const open = (repo: string) => world.sim.pulls(OWNER, repo).filter((pull) => pull.state === "open");

/** A repository with one open repin PR. */
async function repoWithPr() {
  const image = world.image("base");
  const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
  await world.createRepo("svc", { Dockerfile: dockerfile(image, "latest", old) });
  const fresh = await world.push("base", "latest", "2024-02-01T00:00:00Z");
  await world.repin.runCycle();
  const [pull] = open("svc");
  if (!pull) throw new Error("no PR");
  return { image, fresh, pull, branch: pull.pull!.headRef };
}

describe("ownership", () => {
  it("leaves alone a branch where a person amended repin's commit (same message and trailer), and says so once", async () => {
    const { image, pull, branch } = await repoWithPr();
    const ours = (await world.sim.readCommit(OWNER, "svc", branch))!;
    const dockerfileText = (await world.sim.readFile(OWNER, "svc", branch, "Dockerfile"))!;
    // `git commit --amend` on repin's commit: same parent, same message, one more file.
    const amended = await world.sim.commitFiles(
      OWNER,
      "svc",
      "amend",
      { Dockerfile: dockerfileText, "notes.txt": "mine\n" },
      { author: "dev", message: ours.message, from: "main" },
    );
    expect(ours.message).toContain("Repin-Content: ");
    await forcePush(world, "svc", "dev", branch, amended);

    await world.push("base", "latest", "2024-03-01T00:00:00Z");
    await world.repin.runCycle();
    await world.push("base", "latest", "2024-04-01T00:00:00Z");
    await world.repin.runCycle();

    expect(await world.sim.resolve(OWNER, "svc", branch)).toBe(amended);
    const notes = world.sim
      .comments(OWNER, "svc", pull.number)
      .filter((comment) => comment.body.includes("no longer update"));
    expect(notes).toHaveLength(1);
    expect(open("svc").map((p) => p.number)).toEqual([pull.number]);
    expect(await world.sim.readFile(OWNER, "svc", branch, "notes.txt")).toBe("mine\n");
    expect(await world.sim.readFile(OWNER, "svc", branch, "Dockerfile")).toContain(image);
  });
});

describe("a repin PR whose marker a person edited out", () => {
  it("is still repin's PR (no second PR), but its branch is no longer provably repin's: left alone, said once", async () => {
    const { pull, branch } = await repoWithPr();
    const head = await world.sim.resolve(OWNER, "svc", branch);
    const issue = world.sim.issues(OWNER, "svc").find((candidate) => candidate.number === pull.number)!;
    (issue as { body: string | null }).body = "Reviewed by the platform team.";
    expect(parseMarker(issue.body)).toBeNull();

    await world.push("base", "latest", "2024-03-01T00:00:00Z");
    await world.repin.runCycle();
    expect(world.sim.requests.filter((request) => request.status === 422)).toEqual([]);
    const pulls = world.sim.pulls(OWNER, "svc");
    expect(pulls.map((p) => [p.number, p.state])).toEqual([[pull.number, "open"]]);
    expect(await world.sim.resolve(OWNER, "svc", branch)).toBe(head);
    expect(parseMarker(pulls[0]!.body)?.foreign).toBe(true);

    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
    expect(
      world.sim.comments(OWNER, "svc", pull.number).filter((c) => c.body.includes("no longer update")),
    ).toHaveLength(1);
  });
});
