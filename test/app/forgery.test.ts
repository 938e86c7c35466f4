import { describe, expect, it } from "vitest";
import { parseMarker, withMarker } from "../../src/proposals/index.js";
import { dockerfile, forcePush, OWNER, useWorld } from "./support/world.js";

// SPEC 10: repin's commit is the SHA its marker names under repin's seal, or a head whose tree is
// exactly what repin writes; never an author e-mail or a `Repin-Content:` trailer.
const world = useWorld();

const open = () => world.sim.pulls(OWNER, "svc").filter((pull) => pull.state === "open");
const notes = (number: number) =>
  world.sim.comments(OWNER, "svc", number).filter((comment) => comment.body.includes("no longer update"));

async function repoWithPr() {
  const image = world.image("base");
  const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
  await world.createRepo("svc", { Dockerfile: dockerfile(image, "latest", old) });
  await world.push("base", "latest", "2024-02-01T00:00:00Z");
  await world.repin.runCycle();
  const [pull] = open();
  if (!pull) throw new Error("no PR");
  return { pull, branch: pull.pull!.headRef };
}

/** A commit on repin's, "by" repin's bot, with repin's message and trailer, adding a workflow. */
async function forgedCommit(branch: string): Promise<string> {
  const ours = (await world.sim.readCommit(OWNER, "svc", branch))!;
  const sha = await world.sim.commitFiles(
    OWNER,
    "svc",
    "forged",
    { ".github/workflows/steal.yml": "on: push\njobs: {}\n" },
    { author: "repin[bot]", message: ours.message, from: branch },
  );
  return sha;
}

describe("a forged repin identity", () => {
  it("a commit that names repin's bot and copies its message is a foreign push: left alone, said once", async () => {
    const { pull, branch } = await repoWithPr();
    const ours = await world.sim.resolve(OWNER, "svc", branch);
    const forged = await forgedCommit(branch);
    expect((await world.sim.readCommit(OWNER, "svc", forged))!.message).toContain("Repin-Content: ");
    await forcePush(world, "svc", "mallory", branch, forged);

    await world.repin.runCycle();
    await world.push("base", "latest", "2024-03-01T00:00:00Z");
    await world.repin.runCycle();
    await world.restart();
    await world.repin.runCycle();

    expect(await world.sim.resolve(OWNER, "svc", branch)).toBe(forged);
    const marker = parseMarker(open()[0]!.body);
    expect(marker?.commit).toBe(ours);
    expect(marker?.foreign).toBe(true);
    expect(notes(pull.number)).toHaveLength(1);
  });

  it("a marker a writer pointed at their own commit (the seal no longer matches) is not trusted", async () => {
    const { pull, branch } = await repoWithPr();
    const forged = await forgedCommit(branch);
    await forcePush(world, "svc", "mallory", branch, forged);
    const issue = world.sim.issues(OWNER, "svc").find((candidate) => candidate.number === pull.number)!;
    const marker = parseMarker(issue.body)!;
    (issue as { body: string | null }).body = withMarker(issue.body, { ...marker, commit: forged });

    await world.push("base", "latest", "2024-03-01T00:00:00Z");
    await world.repin.runCycle();

    // Trusted, the marker would have let repin take the branch back (a rewrite over the forged commit).
    expect(await world.sim.resolve(OWNER, "svc", branch)).toBe(forged);
    expect(notes(pull.number)).toHaveLength(1);
    expect(open().map((p) => p.number)).toEqual([pull.number]);
  });
});

describe("a run killed between moving the branch and editing the PR", () => {
  it("is recognised by the branch's tree: the PR is brought up to date on that commit, sealed", async () => {
    const { pull, branch } = await repoWithPr();
    const image = world.image("base");
    const newer = await world.push("base", "latest", "2024-03-01T00:00:00Z");
    world.sim.injectFault({ method: "PATCH", path: `/repos/${OWNER}/svc/pulls/${pull.number}`, status: 502 });
    await world.repin.runCycle();
    const moved = await world.sim.resolve(OWNER, "svc", branch);
    expect(parseMarker(open()[0]!.body)?.commit).not.toBe(moved);

    await world.restart();
    await world.repin.runCycle();
    const marker = parseMarker(open()[0]!.body);
    expect(marker?.commit).toBe(moved);
    expect(marker?.digest).toBe(newer);
    expect(await world.sim.resolve(OWNER, "svc", branch)).toBe(moved);
    expect(await world.sim.readFile(OWNER, "svc", branch, "Dockerfile")).toBe(dockerfile(image, "latest", newer));
    expect(notes(pull.number)).toHaveLength(0);

    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
  });
});
