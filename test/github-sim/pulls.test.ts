import { describe, expect, it } from "vitest";
import { OWNER, REPO, errorOf, repo, useSimulator } from "./setup.js";

const BRANCH = "repin/docker.io/library/alpine/3.20";
const t = useSimulator(async (f) => {
  await f.sim.commitFiles(
    OWNER,
    REPO,
    BRANCH,
    { Dockerfile: `FROM alpine:3.20@sha256:${"c".repeat(64)}\nRUN echo hi\n` },
    { author: "repin[bot]" },
  );
});

describe("pull requests", () => {
  it("opens a PR, refuses a duplicate, finds it by head and updates it", async () => {
    const { data: pr } = await t.octokit.rest.pulls.create({
      ...repo,
      head: BRANCH,
      base: "main",
      title: "Bump alpine:3.20 digest to cccccccccccc",
      body: "<!-- repin:{} -->",
    });
    expect(pr.number).toBe(1);
    expect(pr.head.ref).toBe(BRANCH);
    expect(pr.head.label).toBe(`${OWNER}:${BRANCH}`);
    expect(pr.base.repo.full_name).toBe(`${OWNER}/${REPO}`);
    expect(pr.user?.login).toBe("repin[bot]");
    expect([pr.commits, pr.changed_files, pr.additions, pr.deletions]).toEqual([1, 1, 1, 1]);

    const dup = await errorOf(t.octokit.rest.pulls.create({ ...repo, head: BRANCH, base: "main", title: "again" }));
    expect(dup.status).toBe(422);
    expect(dup.message).toContain(`A pull request already exists for ${OWNER}:${BRANCH}.`);

    const { data: found } = await t.octokit.rest.pulls.list({ ...repo, head: `${OWNER}:${BRANCH}`, state: "open" });
    expect(found.map((p) => p.number)).toEqual([1]);
    expect((await t.octokit.rest.pulls.list({ ...repo, head: `${OWNER}:other` })).data).toEqual([]);

    const { data: updated } = await t.octokit.rest.pulls.update({
      ...repo,
      pull_number: 1,
      title: "Bump alpine:3.20 digest to dddddddddddd",
      body: "new body",
    });
    expect([updated.title, updated.body]).toEqual(["Bump alpine:3.20 digest to dddddddddddd", "new body"]);
    const { data: closed } = await t.octokit.rest.pulls.update({ ...repo, pull_number: 1, state: "closed" });
    expect([closed.state, closed.merged]).toEqual(["closed", false]);
    expect((await t.octokit.rest.pulls.list({ ...repo, state: "closed" })).data.map((p) => p.number)).toEqual([1]);
  });

  it("shares numbers with issues and handles labels, assignees, reviewers, comments and reactions", async () => {
    const { data: issue } = await t.octokit.rest.issues.create({ ...repo, title: "Dependency dashboard" });
    const { data: pr } = await t.octokit.rest.pulls.create({ ...repo, head: BRANCH, base: "main", title: "Bump" });
    expect([issue.number, pr.number]).toEqual([1, 2]);

    t.f.sim.setPermission(OWNER, REPO, "alice", "write");
    const { data: labels } = await t.octokit.rest.issues.addLabels({
      ...repo,
      issue_number: 2,
      labels: ["deps", "security"],
    });
    expect(labels.map((l) => l.name)).toEqual(["deps", "security"]);
    const { data: assigned } = await t.octokit.rest.issues.addAssignees({
      ...repo,
      issue_number: 2,
      assignees: ["alice"],
    });
    expect(assigned.assignees?.map((a) => a.login)).toEqual(["alice"]);
    const { data: requested } = await t.octokit.rest.pulls.requestReviewers({
      ...repo,
      pull_number: 2,
      reviewers: ["alice"],
    });
    expect(requested.requested_reviewers?.map((r) => r.login)).toEqual(["alice"]);
    expect(
      (await errorOf(t.octokit.rest.pulls.requestReviewers({ ...repo, pull_number: 2, reviewers: ["mallory"] })))
        .status,
    ).toBe(422);
    expect((await t.octokit.rest.issues.listLabelsForRepo(repo)).data.map((l) => l.name)).toEqual(["deps", "security"]);
    expect((await t.octokit.rest.issues.createLabel({ ...repo, name: "repin", color: "0e8a16" })).status).toBe(201);

    const humanComment = t.f.sim.addComment(OWNER, REPO, 2, { user: "alice", body: "/repin rebase" });
    const { data: reaction } = await t.octokit.rest.reactions.createForIssueComment({
      ...repo,
      comment_id: humanComment,
      content: "eyes",
    });
    expect(reaction.content).toBe("eyes");
    expect(
      (await t.octokit.rest.reactions.createForIssueComment({ ...repo, comment_id: humanComment, content: "eyes" }))
        .status,
    ).toBe(200);
    const { data: reply } = await t.octokit.rest.issues.createComment({ ...repo, issue_number: 2, body: "Rebased." });
    await t.octokit.rest.issues.updateComment({ ...repo, comment_id: reply.id, body: "Rebased onto main." });
    const { data: comments } = await t.octokit.rest.issues.listComments({ ...repo, issue_number: 2 });
    expect(comments.map((c) => [c.user?.login, c.body])).toEqual([
      ["alice", "/repin rebase"],
      ["repin[bot]", "Rebased onto main."],
    ]);
    expect(
      (await errorOf(t.octokit.rest.issues.updateComment({ ...repo, comment_id: humanComment, body: "hijack" })))
        .status,
    ).toBe(403);

    const reviewComment = t.f.sim.addReviewComment(OWNER, REPO, 2, {
      user: "alice",
      body: "/repin explain",
      path: "Dockerfile",
    });
    expect(
      (
        await t.octokit.rest.reactions.createForPullRequestReviewComment({
          ...repo,
          comment_id: reviewComment,
          content: "eyes",
        })
      ).status,
    ).toBe(201);

    t.f.sim.addReview(OWNER, REPO, 2, { user: "alice", state: "CHANGES_REQUESTED", body: "/repin ignore this digest" });
    const { data: reviews } = await t.octokit.rest.pulls.listReviews({ ...repo, pull_number: 2 });
    expect(reviews.map((r) => [r.user?.login, r.state])).toEqual([["alice", "CHANGES_REQUESTED"]]);
    const { data: issues } = await t.octokit.rest.issues.listForRepo(repo);
    expect(issues.map((i) => [i.number, i.pull_request !== undefined])).toEqual([
      [2, true],
      [1, false],
    ]);
  });

  it("merges with real git (helper and API), and git diff of the merged base shows the bump", async () => {
    const { data: pr } = await t.octokit.rest.pulls.create({ ...repo, head: BRANCH, base: "main", title: "Bump" });
    const before = await t.f.sim.resolve(OWNER, REPO, "main");
    await t.f.sim.commitFiles(OWNER, REPO, "main", { "README.md": "hi\n" }, { author: "alice" });
    const mergeSha = await t.f.sim.mergePull(OWNER, REPO, pr.number, { by: "alice" });
    const merged = await t.f.sim.readCommit(OWNER, REPO, mergeSha);
    expect(merged?.parents).toHaveLength(2);
    expect(await t.f.sim.readFile(OWNER, REPO, "main", "Dockerfile")).toContain("c".repeat(64));
    expect(await t.f.sim.readFile(OWNER, REPO, "main", "README.md")).toBe("hi\n");
    expect(await t.f.sim.gitDiff(OWNER, REPO, before ?? "", "main")).toContain(
      `+FROM alpine:3.20@sha256:${"c".repeat(64)}`,
    );

    const { data: got } = await t.octokit.rest.pulls.get({ ...repo, pull_number: pr.number });
    expect([got.state, got.merged, got.merged_by?.login, got.merge_commit_sha]).toEqual([
      "closed",
      true,
      "alice",
      mergeSha,
    ]);
    const { data: commits } = await t.octokit.rest.pulls.listCommits({ ...repo, pull_number: pr.number });
    expect(commits).toHaveLength(1);

    await t.f.sim.commitFiles(OWNER, REPO, "second", { "a.txt": "a\n" });
    const { data: second } = await t.octokit.rest.pulls.create({
      ...repo,
      head: "second",
      base: "main",
      title: "Second",
    });
    const { data: result } = await t.octokit.rest.pulls.merge({
      ...repo,
      pull_number: second.number,
      merge_method: "squash",
    });
    expect(result.merged).toBe(true);
    expect((await t.f.sim.readCommit(OWNER, REPO, "main"))?.parents).toHaveLength(1);
    expect((await errorOf(t.octokit.rest.pulls.merge({ ...repo, pull_number: second.number }))).status).toBe(405);
  });

  it("lets only one of two concurrent creates of the same branch or PR win", async () => {
    const sha = (await t.f.sim.resolve(OWNER, REPO, BRANCH)) ?? "";
    const refs = await Promise.allSettled(
      [1, 2, 3].map(() => t.octokit.rest.git.createRef({ ...repo, ref: "refs/heads/race", sha })),
    );
    expect(refs.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected", "rejected"]);
    const pulls = await Promise.allSettled(
      [1, 2].map(() => t.octokit.rest.pulls.create({ ...repo, head: "race", base: "main", title: "Race" })),
    );
    expect(pulls.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(t.f.sim.pulls(OWNER, REPO)).toHaveLength(1);
  });

  it("counts writes so a repeated read-only cycle can assert zero", async () => {
    await t.octokit.rest.pulls.create({ ...repo, head: BRANCH, base: "main", title: "Bump" });
    expect(t.f.sim.writes()).toBe(1);
    t.f.sim.resetLog();
    await t.octokit.rest.pulls.list({ ...repo, head: `${OWNER}:${BRANCH}` });
    await t.octokit.rest.git.getTree({ ...repo, tree_sha: "main", recursive: "1" });
    await errorOf(t.octokit.rest.pulls.create({ ...repo, head: BRANCH, base: "main", title: "Bump" }));
    expect(t.f.sim.writes()).toBe(0);
    expect(t.f.sim.requests.map((r) => r.operationId)).toEqual(["pulls/list", "git/get-tree", "pulls/create"]);
  });
});
