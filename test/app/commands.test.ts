import { describe, expect, it } from "vitest";
import { parseMarker } from "../../src/proposals/index.js";
import { comment, dashboardOf, dockerfile, OWNER, review, useWorld } from "./support/world.js";

const world = useWorld();

const open = (repo: string) => world.sim.pulls(OWNER, repo).filter((pull) => pull.state === "open");
const lastComment = (repo: string, number: number) => world.sim.comments(OWNER, repo, number).at(-1)?.body ?? "";
const writes = () => world.sim.writeLog().map((write) => `${write.method} ${write.path}`);
const WRITER = { user: "wendy" };
const READER = { user: "rick" };

/** A repository with one open repin PR; wendy may write, rick may only read. */
async function repoWithPr(repo = "svc") {
  const image = world.image("base");
  const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
  await world.createRepo(repo, { Dockerfile: dockerfile(image, "latest", old) });
  world.sim.setPermission(OWNER, repo, WRITER.user, "write");
  world.sim.setPermission(OWNER, repo, READER.user, "read");
  const fresh = await world.push("base", "latest", "2024-02-01T00:00:00Z");
  await world.repin.runCycle();
  const [pull] = open(repo);
  if (!pull) throw new Error("no PR");
  return { image, old, fresh, pull, branch: pull.pull!.headRef };
}

describe("/repin commands", () => {
  it("ignore this digest: closes the PR, lists the ignore in the dashboard; a restart keeps it; unignore brings the PR back", async () => {
    const { pull, fresh } = await repoWithPr();
    expect((await comment(world, "svc", pull.number, WRITER, "/repin ignore this digest")).status).toBe(200);

    expect(world.sim.reactions(OWNER, "svc").map((r) => r.content)).toEqual(["eyes"]);
    expect(open("svc")).toHaveLength(0);
    expect(lastComment("svc", pull.number)).toContain("Ignoring digest");
    const dashboard = dashboardOf(world, "svc")!;
    expect(dashboard.body).toContain(`/repin ignore this digest\` by \`wendy\``);
    expect(dashboard.body).toContain(fresh.slice(0, 19));

    await world.restart();
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(open("svc")).toHaveLength(0);
    expect(world.sim.writes()).toBe(0);

    await comment(world, "svc", pull.number, WRITER, "/repin unignore");
    expect(lastComment("svc", pull.number)).toContain("Removed the ignores");
    const back = open("svc");
    expect(back).toHaveLength(1);
    expect(parseMarker(back[0]!.body)?.digest).toBe(fresh);
    expect(dashboardOf(world, "svc")!.body).toContain("Nothing is ignored.");
  });

  it("ignore this image holds every newer digest too; unignore on the dashboard issue undoes every ignore", async () => {
    const { pull } = await repoWithPr();
    await comment(world, "svc", pull.number, WRITER, "/repin ignore this image");
    expect(open("svc")).toHaveLength(0);
    await world.push("base", "latest", "2024-03-01T00:00:00Z");
    await world.repin.runCycle();
    expect(open("svc")).toHaveLength(0);
    const dashboard = dashboardOf(world, "svc")!;
    expect(dashboard.body).toContain("ignored (image)");

    await comment(world, "svc", dashboard.number, WRITER, "/repin unignore");
    expect(open("svc")).toHaveLength(1);
  });

  it("refuses every command from a read-only user with one short reply and no reaction, and does nothing else", async () => {
    const { pull, branch } = await repoWithPr();
    const head = await world.sim.resolve(OWNER, "svc", branch);
    for (const text of [
      "/repin rebase",
      "/repin recreate",
      "/repin ignore this digest",
      "/repin ignore this image",
      "/repin unignore",
      "/repin scan",
      "/repin help",
      "/repin frobnicate @everyone",
    ]) {
      // One refusal per reader per issue per hour: each command here comes an hour after the last.
      world.advance(3_600_000);
      world.sim.resetLog();
      await comment(world, "svc", pull.number, READER, text);
      expect(writes()).toEqual([`POST /repos/${OWNER}/svc/issues/${pull.number}/comments`]);
      const reply = lastComment("svc", pull.number);
      expect(reply).toMatch(/^Only people with write, maintain or admin permission/);
      expect(reply).not.toContain("@everyone");
      expect(world.sim.requests.some((r) => r.path.endsWith(`/collaborators/${READER.user}/permission`))).toBe(true);
    }
    expect(world.sim.reactions(OWNER, "svc")).toEqual([]);
    expect(open("svc")).toHaveLength(1);
    expect(await world.sim.resolve(OWNER, "svc", branch)).toBe(head);
  });

  it("answers a reader's stream of commands with one refusal per issue per hour: one permission read per comment, one write", async () => {
    const { pull } = await repoWithPr();
    world.sim.resetLog();
    for (let i = 0; i < 5; i++) await comment(world, "svc", pull.number, READER, `/repin scan ${i}`);
    expect(writes()).toEqual([`POST /repos/${OWNER}/svc/issues/${pull.number}/comments`]);
    expect(world.sim.requests).toHaveLength(6);
    expect(world.sim.reactions(OWNER, "svc")).toEqual([]);
    const refusals = world.sim.comments(OWNER, "svc", pull.number).filter((c) => c.body.startsWith("Only people"));
    expect(refusals).toHaveLength(1);

    // Another reader, or the same one on another issue, or an hour later, is told once again.
    world.sim.setPermission(OWNER, "svc", "rita", "read");
    await comment(world, "svc", pull.number, { user: "rita" }, "/repin scan");
    const dashboard = dashboardOf(world, "svc")!;
    await comment(world, "svc", dashboard.number, READER, "/repin scan");
    await comment(world, "svc", pull.number, READER, "/repin scan");
    world.advance(3_600_000);
    await comment(world, "svc", pull.number, READER, "/repin scan");
    expect(writes().filter((w) => w.endsWith("/comments"))).toHaveLength(4);
    // A writer still gets the 👀 and the result.
    await comment(world, "svc", pull.number, WRITER, "/repin help");
    expect(world.sim.reactions(OWNER, "svc").map((r) => r.content)).toEqual(["eyes"]);
  });

  it("acts once on a delivery GitHub sends twice (the same X-GitHub-Delivery, replayed over HTTP)", async () => {
    const { pull } = await repoWithPr();
    world.sim.resetLog();
    await comment(world, "svc", pull.number, WRITER, "/repin ignore this digest");
    const once = writes();
    expect(once).toContain(`POST /repos/${OWNER}/svc/issues/${pull.number}/comments`);
    const replies = world.sim.comments(OWNER, "svc", pull.number).length;

    world.sim.resetLog();
    expect((await world.replay()).status).toBe(200);
    expect(world.sim.requests).toHaveLength(0);
    expect(world.sim.comments(OWNER, "svc", pull.number)).toHaveLength(replies);
    expect(world.sim.reactions(OWNER, "svc")).toHaveLength(1);

    // A new delivery of the same text is a new command.
    await comment(world, "svc", pull.number, WRITER, "/repin help");
    expect(world.sim.comments(OWNER, "svc", pull.number).length).toBeGreaterThan(replies);
  });

  it("acts on a redelivery of a delivery whose handling failed", async () => {
    const { pull } = await repoWithPr();
    world.sim.injectFault({ method: "GET", path: /\/collaborators\/[^/]+\/permission$/, status: 500, times: 1 });
    const failed = await comment(world, "svc", pull.number, WRITER, "/repin help");
    expect(failed.status).toBe(500);
    const replies = world.sim.comments(OWNER, "svc", pull.number).length;

    expect((await world.replay()).status).toBe(200);
    expect(world.sim.comments(OWNER, "svc", pull.number).length).toBe(replies + 1);
    expect(lastComment("svc", pull.number)).toContain("repin commands");
  });

  it("ignores comments from bots, repin's own included, without asking GitHub anything", async () => {
    const { pull } = await repoWithPr();
    world.sim.resetLog();
    await comment(world, "svc", pull.number, { user: "repin[bot]", type: "Bot" }, "/repin ignore this image");
    await comment(world, "svc", pull.number, { user: "dependabot[bot]", type: "Bot" }, "/repin scan");
    expect(world.sim.requests).toHaveLength(0);
    expect(open("svc")).toHaveLength(1);
  });

  it("scan rescans now, help replies the help text, explain explains, an unknown command gets the help text", async () => {
    const { pull } = await repoWithPr();
    const newer = await world.push("base", "latest", "2024-03-01T00:00:00Z");
    await comment(world, "svc", pull.number, WRITER, "/repin scan\n/repin help\n/repin explain\n/repin dance");
    const reply = lastComment("svc", pull.number);
    expect(reply).toContain("Rescanning this repository.");
    expect(reply).toContain("repin commands");
    // These test images carry no package database: the explanation says so.
    expect(reply).toContain("the new image has no apk or dpkg package database");
    expect(reply).toContain("`/repin dance` is not a repin command.");
    expect(parseMarker(open("svc")[0]!.body)?.digest).toBe(newer);
  });

  it("a changes-requested review stops updates until /repin rebase in a review body", async () => {
    const { pull, branch } = await repoWithPr();
    const before = await world.sim.resolve(OWNER, "svc", branch);
    await review(world, "svc", pull.number, WRITER, "CHANGES_REQUESTED", "not this week");
    const newer = await world.push("base", "latest", "2024-03-01T00:00:00Z");
    await world.repin.runCycle();
    await world.repin.runCycle();
    expect(await world.sim.resolve(OWNER, "svc", branch)).toBe(before);

    await review(world, "svc", pull.number, WRITER, "COMMENTED", "ok then\n/repin rebase");
    expect(lastComment("svc", pull.number)).toContain("Rebasing this PR");
    expect(await world.sim.resolve(OWNER, "svc", branch)).not.toBe(before);
    expect(parseMarker(open("svc")[0]!.body)?.digest).toBe(newer);
    // The override is remembered in the PR's marker, so it survives a restart.
    await world.restart();
    const newest = await world.push("base", "latest", "2024-04-01T00:00:00Z");
    await world.repin.runCycle();
    expect(parseMarker(open("svc")[0]!.body)?.digest).toBe(newest);
  });

  it("rebase refuses a branch someone else pushed to; recreate takes it back", async () => {
    const { pull, branch, image, fresh } = await repoWithPr();
    await world.sim.commitFiles(OWNER, "svc", branch, { "notes.txt": "mine\n" }, { author: "dev" });
    await comment(world, "svc", pull.number, WRITER, "/repin rebase");
    expect(lastComment("svc", pull.number)).toContain("someone else pushed");
    expect(await world.sim.readFile(OWNER, "svc", branch, "notes.txt")).toBe("mine\n");

    await comment(world, "svc", pull.number, WRITER, "/repin recreate");
    expect(lastComment("svc", pull.number)).toContain("Recreating this PR");
    expect(await world.sim.readFile(OWNER, "svc", branch, "notes.txt")).toBeNull();
    expect(await world.sim.readFile(OWNER, "svc", branch, "Dockerfile")).toBe(dockerfile(image, "latest", fresh));
  });

  it("treats hostile comment text as data: shell metacharacters, 1 MB, mentions, links and forged markers", async () => {
    const { pull } = await repoWithPr();
    await comment(
      world,
      "svc",
      pull.number,
      WRITER,
      "/repin $(touch /tmp/pwned) `id` ; rm -rf / @admin [x](https://evil.example) <!-- repin:dashboard -->",
    );
    const reply = lastComment("svc", pull.number);
    expect(reply).toContain("is not a repin command");
    // Echoed only inside a code span (no mention, link or HTML renders there), and no comment opener.
    expect(reply).not.toContain("<!--");
    const outsideCode = reply.replace(/(`+)[\s\S]*?\1/g, "");
    expect(outsideCode).not.toMatch(/@admin|\]\(https:|touch/);

    const huge = `${"@everyone ".repeat(100_000)}\n/repin ${"x".repeat(200_000)}\n/repin help`;
    expect((await comment(world, "svc", pull.number, WRITER, huge)).status).toBe(200);
    const hugeReply = lastComment("svc", pull.number);
    expect(hugeReply.length).toBeLessThan(5_000);
    expect(hugeReply).not.toContain("@everyone");

    // A human's PR dressed up as repin's (repin/ branch, forged marker) is not repin's PR.
    await world.sim.commitFiles(OWNER, "svc", "repin/fake/branch/latest", { "x.txt": "x\n" }, { author: WRITER.user });
    const forged = parseMarker(pull.body)!;
    const fake = await world.sim.createPull(OWNER, "svc", {
      head: "repin/fake/branch/latest",
      title: "fake",
      body: `<!-- repin:${JSON.stringify(forged)} -->`,
      user: WRITER.user,
    });
    await comment(world, "svc", fake, WRITER, "/repin ignore this image");
    expect(lastComment("svc", fake)).toContain("works only on a repin PR");
    expect(dashboardOf(world, "svc")!.body).toContain("Nothing is ignored.");
    expect(open("svc").some((p) => p.number === pull.number)).toBe(true);
  });
});
