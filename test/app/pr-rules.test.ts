import { describe, expect, it } from "vitest";
import { parseMarker } from "../../src/proposals/index.js";
import { dockerfile, example, OWNER, pushPayload, useWorld, type World } from "./support/world.js";

const world = useWorld();

const pulls = (repo: string) => world.sim.pulls(OWNER, repo);
const open = (repo: string) => pulls(repo).filter((pull) => pull.state === "open");

async function repoWithMovedTag(repo = "svc"): Promise<{ image: string; old: string; fresh: string }> {
  const image = world.image("base");
  const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
  await world.createRepo(repo, { Dockerfile: dockerfile(image, "latest", old) });
  const fresh = await world.push("base", "latest", "2024-02-01T00:00:00Z");
  return { image, old, fresh };
}

describe("PR lifecycle rules", () => {
  it("does not reopen a PR closed unmerged for that digest, and opens a new one for a newer digest", async () => {
    await repoWithMovedTag();
    await world.repin.runCycle();
    const [first] = open("svc");
    world.sim.closePull(OWNER, "svc", first!.number);
    // The closed event makes repin reconcile at once: it finds the closed PR, records the digest
    // as ignored in the dashboard, and stays away.
    world.sim.resetLog();
    expect(
      (await world.deliver("pull_request", closedPayload(world, "svc", first!.number, first!.pull!.headRef))).status,
    ).toBe(200);
    expect(world.sim.requests.some((request) => request.query.includes("state=closed"))).toBe(true);
    const dashboard = world.sim.issues(OWNER, "svc").find((issue) => issue.title === "repin dashboard");
    expect(dashboard?.body).toContain(`PR #${first!.number} closed without merging`);

    world.sim.resetLog();
    await world.repin.runCycle();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
    expect(open("svc")).toHaveLength(0);

    const newer = await world.push("base", "latest", "2024-03-01T00:00:00Z");
    await world.repin.runCycle();
    const now = open("svc");
    expect(now).toHaveLength(1);
    expect(now[0]!.number).not.toBe(first!.number);
    expect(parseMarker(now[0]!.body)?.digest).toBe(newer);
  });

  it("leaves a branch someone else pushed to alone and says so once", async () => {
    const { image } = await repoWithMovedTag();
    await world.repin.runCycle();
    const [pull] = open("svc");
    const branch = pull!.pull!.headRef;
    const theirs = await world.sim.commitFiles(OWNER, "svc", branch, { "notes.txt": "mine\n" }, { author: "dev" });

    await world.push("base", "latest", "2024-03-01T00:00:00Z");
    await world.repin.runCycle();
    await world.push("base", "latest", "2024-04-01T00:00:00Z");
    await world.repin.runCycle();

    expect(await world.sim.resolve(OWNER, "svc", branch)).toBe(theirs);
    const notes = world.sim
      .comments(OWNER, "svc", pull!.number)
      .filter((comment) => comment.body.includes("no longer update"));
    expect(notes).toHaveLength(1);
    expect(open("svc")).toHaveLength(1);
    expect(await world.sim.readFile(OWNER, "svc", branch, "Dockerfile")).toContain(image);
  });

  it("closes the PR with a comment when the base branch got the change by hand", async () => {
    const { image, fresh } = await repoWithMovedTag();
    await world.repin.runCycle();
    const [pull] = open("svc");
    await world.sim.commitFiles(
      OWNER,
      "svc",
      "main",
      { Dockerfile: dockerfile(image, "latest", fresh) },
      { author: "dev" },
    );

    await world.repin.runCycle();
    expect(open("svc")).toHaveLength(0);
    const comments = world.sim.comments(OWNER, "svc", pull!.number);
    expect(comments.some((comment) => comment.body.includes("already on `main`"))).toBe(true);
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
  });

  it("rescans on a push to the default branch touching a Dockerfile, and ignores other pushes", async () => {
    const image = world.image("base");
    const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
    await world.createRepo("svc", { "README.md": "hi\n" });
    await world.repin.runCycle();
    await world.push("base", "latest", "2024-02-01T00:00:00Z");

    const docs = await world.sim.commitFiles(OWNER, "svc", "main", { "docs.md": "x\n" });
    world.sim.resetLog();
    expect((await world.deliver("push", pushPayloadFor(world, "svc", ["docs.md"], docs))).status).toBe(200);
    expect(world.sim.requests).toHaveLength(0);

    const added = await world.sim.commitFiles(OWNER, "svc", "main", {
      "app/Dockerfile": dockerfile(image, "latest", old),
    });
    expect((await world.deliver("push", pushPayloadFor(world, "svc", ["app/Dockerfile"], added))).status).toBe(200);
    expect(open("svc")).toHaveLength(1);
  });

  it("rejects a webhook with a bad signature without calling GitHub", async () => {
    await repoWithMovedTag();
    world.sim.resetLog();
    const response = await world.deliver(
      "installation",
      { action: "created", installation: { id: world.installationId }, repositories: [] },
      { secret: "wrong" },
    );
    expect([400, 401]).toContain(response.status);
    const installed = await world.install(["svc"]).then(() => world.sim.requests.length);
    expect(installed).toBeGreaterThan(0);
    world.sim.resetLog();
    const forged = await world.deliver(
      "installation",
      {
        action: "created",
        installation: { id: world.installationId },
        repositories: [{ full_name: `${OWNER}/svc`, name: "svc" }],
      },
      { secret: "nope" },
    );
    expect([400, 401]).toContain(forged.status);
    expect(world.sim.requests).toHaveLength(0);
  });
});

function pushPayloadFor(w: World, repo: string, paths: string[], after: string) {
  return pushPayload(w.installationId, repo, "main", paths, after);
}

function closedPayload(w: World, repo: string, number: number, branch: string) {
  const payload = example("pull_request", "closed");
  const pull = payload.pull_request as Record<string, unknown>;
  const repository = payload.repository as Record<string, unknown>;
  return {
    ...payload,
    number,
    installation: { id: w.installationId, node_id: "I_1" },
    repository: { ...repository, name: repo, full_name: `${OWNER}/${repo}`, default_branch: "main" },
    pull_request: { ...pull, number, merged: false, head: { ...(pull.head as object), ref: branch } },
  };
}
