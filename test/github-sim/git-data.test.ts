import { describe, expect, it } from "vitest";
import { OWNER, REPO, SEED_FILES, client, errorOf, repo, setup, useSimulator } from "./setup.js";

const t = useSimulator();

/** What repin does to bump a digest: read the tree, write blob → tree → commit → ref. */
async function commitDigestBump(branch: string): Promise<string> {
  const { data: main } = await t.octokit.rest.git.getRef({ ...repo, ref: "heads/main" });
  const { data: tree } = await t.octokit.rest.git.getTree({ ...repo, tree_sha: main.object.sha, recursive: "1" });
  const dockerfile = tree.tree.find((e) => e.path === "Dockerfile");
  const { data: blob } = await t.octokit.rest.git.getBlob({ ...repo, file_sha: dockerfile?.sha ?? "" });
  const text = Buffer.from(blob.content, "base64").toString("utf8").replace("a".repeat(64), "c".repeat(64));
  const { data: newBlob } = await t.octokit.rest.git.createBlob({ ...repo, content: text, encoding: "utf-8" });
  const { data: newTree } = await t.octokit.rest.git.createTree({
    ...repo,
    base_tree: tree.sha,
    tree: [{ path: "Dockerfile", mode: "100644", type: "blob", sha: newBlob.sha }],
  });
  const { data: commit } = await t.octokit.rest.git.createCommit({
    ...repo,
    message: "Bump alpine:3.20 digest",
    tree: newTree.sha,
    parents: [main.object.sha],
  });
  await t.octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha: commit.sha });
  return commit.sha;
}

describe("Git Data API on real git objects", () => {
  it("reads a recursive tree and blobs that match git's own hashes", async () => {
    const { data: tree } = await t.octokit.rest.git.getTree({ ...repo, tree_sha: "main", recursive: "1" });
    expect(tree.truncated).toBe(false);
    const paths = tree.tree
      .filter((e) => e.type === "blob")
      .map((e) => e.path)
      .sort();
    expect(paths).toEqual(Object.keys(SEED_FILES).sort());
    expect(tree.tree.some((e) => e.type === "tree" && e.path === "services/api")).toBe(true);
    const entry = tree.tree.find((e) => e.path === "services/api/Dockerfile");
    const { data: blob } = await t.octokit.rest.git.getBlob({ ...repo, file_sha: entry?.sha ?? "" });
    expect(Buffer.from(blob.content, "base64").toString("utf8")).toBe(SEED_FILES["services/api/Dockerfile"]);
    expect(blob.size).toBe(SEED_FILES["services/api/Dockerfile"].length);
  });

  it("creates blob, tree, signed commit and ref, and git diff shows only the digest change", async () => {
    const sha = await commitDigestBump("repin/docker.io/library/alpine/3.20");
    const { data: commit } = await t.octokit.rest.git.getCommit({ ...repo, commit_sha: sha });
    expect(commit.verification?.verified).toBe(true);
    expect(commit.author.name).toBe("repin[bot]");
    expect((await t.f.sim.readCommit(OWNER, REPO, sha))?.verified).toBe(true);

    const diff = await t.f.sim.gitDiff(OWNER, REPO, "main", "repin/docker.io/library/alpine/3.20");
    const changed = diff.split("\n").filter((l) => /^[+-][^+-]/.test(l));
    expect(changed).toEqual([
      `-FROM alpine:3.20@sha256:${"a".repeat(64)}`,
      `+FROM alpine:3.20@sha256:${"c".repeat(64)}`,
    ]);
    expect(await t.f.sim.readFile(OWNER, REPO, "repin/docker.io/library/alpine/3.20", "services/api/Dockerfile")).toBe(
      SEED_FILES["services/api/Dockerfile"],
    );

    // the ref reads back by its encoded name, and matching-refs finds it by prefix
    const { data: ref } = await t.octokit.rest.git.getRef({
      ...repo,
      ref: "heads/repin/docker.io/library/alpine/3.20",
    });
    expect(ref.object.sha).toBe(sha);
    const { data: matching } = await t.octokit.rest.git.listMatchingRefs({ ...repo, ref: "heads/repin/" });
    expect(matching.map((r) => r.ref)).toEqual(["refs/heads/repin/docker.io/library/alpine/3.20"]);
    expect(t.f.sim.writes()).toBe(4);
  });

  it("signs only what GitHub signs: an App's API commit without author or committer, not a named or pushed one", async () => {
    const { data: main } = await t.octokit.rest.git.getRef({ ...repo, ref: "heads/main" });
    const { data: base } = await t.octokit.rest.git.getCommit({ ...repo, commit_sha: main.object.sha });
    const commitWith = async (extra: Record<string, unknown>, octokit = t.octokit) =>
      (
        await octokit.rest.git.createCommit({
          ...repo,
          message: "m",
          tree: base.tree.sha,
          parents: [main.object.sha],
          ...extra,
        })
      ).data;
    const person = { name: "repin[bot]", email: "1+repin[bot]@users.noreply.github.com" };

    const plain = await commitWith({});
    expect(plain.verification).toMatchObject({ verified: true, reason: "valid" });
    for (const named of [await commitWith({ author: person }), await commitWith({ committer: person })]) {
      expect(named.verification).toMatchObject({ verified: false, reason: "unsigned" });
      expect((await t.f.sim.readCommit(OWNER, REPO, named.sha))?.verified).toBe(false);
      const { data: read } = await t.octokit.rest.git.getCommit({ ...repo, commit_sha: named.sha });
      expect(read.verification).toMatchObject({ verified: false, reason: "unsigned" });
    }
    const asUser = await commitWith({}, client(t.f.sim.apiUrl, t.f.sim.createUserToken(OWNER)));
    expect(asUser.verification).toMatchObject({ verified: false, reason: "unsigned" });

    const pushed = await t.f.sim.commitFiles(OWNER, REPO, "main", { "README.md": "pushed\n" });
    expect((await t.f.sim.readCommit(OWNER, REPO, pushed))?.verified).toBe(false);
    const { data: single } = await t.octokit.rest.repos.getCommit({ ...repo, ref: pushed });
    expect(single.commit.verification).toMatchObject({ verified: false, reason: "unsigned" });
  });

  it("marks a tree over the limit as truncated", async () => {
    const small = await setup({ treeLimit: 2 });
    try {
      const client = await small.installationClient();
      const { data } = await client.rest.git.getTree({ ...repo, tree_sha: "main", recursive: "1" });
      expect(data.truncated).toBe(true);
      expect(data.tree).toHaveLength(2);
      expect(small.sim.schemaViolations()).toEqual([]);
    } finally {
      await small.sim.stop();
    }
  });

  it("creates trees from content, deletes with sha null, and accepts base64 blobs", async () => {
    const { data: main } = await t.octokit.rest.git.getRef({ ...repo, ref: "heads/main" });
    const { data: base } = await t.octokit.rest.git.getCommit({ ...repo, commit_sha: main.object.sha });
    const { data: bin } = await t.octokit.rest.git.createBlob({
      ...repo,
      content: Buffer.from([0, 1, 2, 255]).toString("base64"),
      encoding: "base64",
    });
    const { data: tree } = await t.octokit.rest.git.createTree({
      ...repo,
      base_tree: base.tree.sha,
      tree: [
        { path: "new/Dockerfile", mode: "100644", type: "blob", content: "FROM scratch\n" },
        { path: "services/api/Dockerfile", mode: "100644", type: "blob", sha: null },
        { path: "bin.dat", mode: "100644", type: "blob", sha: bin.sha },
      ],
    });
    const { data: listing } = await t.octokit.rest.git.getTree({ ...repo, tree_sha: tree.sha, recursive: "true" });
    const files = listing.tree
      .filter((e) => e.type === "blob")
      .map((e) => e.path)
      .sort();
    expect(files).toEqual([".github/repin.yml", "Dockerfile", "bin.dat", "new/Dockerfile"]);
    expect(listing.tree.some((e) => e.path === "services")).toBe(false);

    const bad = await errorOf(
      t.octokit.rest.git.createTree({
        ...repo,
        tree: [{ path: "x", mode: "100644", type: "blob", sha: "0".repeat(40) }],
      }),
    );
    expect(bad.status).toBe(422);
  });

  it("refuses a non-fast-forward ref update without force, allows it with force, and deletes refs", async () => {
    const first = await commitDigestBump("topic");
    const human = await t.f.sim.commitFiles(OWNER, REPO, "main", { "README.md": "hello\n" }, { author: "alice" });
    const { data: divergent } = await t.octokit.rest.git.createCommit({
      ...repo,
      message: "other",
      tree: (await t.octokit.rest.git.getCommit({ ...repo, commit_sha: human })).data.tree.sha,
      parents: [human],
    });
    const refused = await errorOf(t.octokit.rest.git.updateRef({ ...repo, ref: "heads/topic", sha: divergent.sha }));
    expect(refused.status).toBe(422);
    expect((refused.response?.data as { message: string }).message).toBe("Update is not a fast forward");
    expect(await t.f.sim.resolve(OWNER, REPO, "topic")).toBe(first);
    await t.octokit.rest.git.updateRef({ ...repo, ref: "heads/topic", sha: divergent.sha, force: true });
    expect(await t.f.sim.resolve(OWNER, REPO, "topic")).toBe(divergent.sha);

    const exists = await errorOf(t.octokit.rest.git.createRef({ ...repo, ref: "refs/heads/topic", sha: first }));
    expect((exists.response?.data as { message: string }).message).toBe("Reference already exists");
    await t.octokit.rest.git.deleteRef({ ...repo, ref: "heads/topic" });
    expect(await t.f.sim.resolve(OWNER, REPO, "refs/heads/topic")).toBeNull();
    expect((await errorOf(t.octokit.rest.git.getRef({ ...repo, ref: "heads/topic" }))).status).toBe(404);
  });

  it("serves branches, commits (by path), single commits and compare with author logins", async () => {
    const topic = await t.f.sim.commitFiles(
      OWNER,
      REPO,
      "feature",
      { Dockerfile: "FROM alpine:3.21\n" },
      { author: "bob", message: "move to 3.21" },
    );
    await t.f.sim.commitFiles(OWNER, REPO, "main", { "README.md": "one\n" }, { author: "alice" });
    const { data: branch } = await t.octokit.rest.repos.getBranch({ ...repo, branch: "feature" });
    expect(branch.commit.sha).toBe(topic);
    const { data: history } = await t.octokit.rest.repos.listCommits({ ...repo, sha: "feature", path: "Dockerfile" });
    expect(history.map((c) => c.commit.message)).toEqual(["move to 3.21", "Initial commit"]);
    const { data: single } = await t.octokit.rest.repos.getCommit({ ...repo, ref: topic });
    expect(single.files?.map((file) => [file.filename, file.status])).toEqual([["Dockerfile", "modified"]]);
    expect(single.author?.login).toBe("bob");

    const { data: cmp } = await t.octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: "main...feature",
    });
    expect(cmp.status).toBe("diverged");
    expect([cmp.ahead_by, cmp.behind_by]).toEqual([1, 1]);
    expect(cmp.commits.map((c) => c.author?.login)).toEqual(["bob"]);
    expect(cmp.files?.map((file) => file.filename)).toEqual(["Dockerfile"]);
  });

  it("serves contents as JSON and raw, 404s missing paths, and answers 304 to a matching ETag without counting it", async () => {
    const { data } = await t.octokit.rest.repos.getContent({ ...repo, path: "services/api/Dockerfile" });
    expect(Array.isArray(data) ? null : data.type).toBe("file");
    if (!Array.isArray(data) && data.type === "file")
      expect(Buffer.from(data.content, "base64").toString("utf8")).toBe(SEED_FILES["services/api/Dockerfile"]);
    const { data: dir } = await t.octokit.rest.repos.getContent({ ...repo, path: "services" });
    expect(Array.isArray(dir) ? dir.map((e) => [e.name, e.type]) : null).toEqual([["api", "dir"]]);
    expect((await errorOf(t.octokit.rest.repos.getContent({ ...repo, path: "nope.txt" }))).status).toBe(404);

    const raw = await t.octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path: "Dockerfile",
      mediaType: { format: "raw" },
    });
    expect(raw.data).toBe(SEED_FILES.Dockerfile);

    const first = await t.octokit.rest.repos.getContent({ ...repo, path: "Dockerfile" });
    const etag = first.headers.etag ?? "";
    expect(etag).toMatch(/^W\/"/);
    const counted = t.f.sim.rateLimitedRequests();
    const notModified = await errorOf(
      t.octokit.rest.repos.getContent({ ...repo, path: "Dockerfile", headers: { "if-none-match": etag } }),
    );
    expect(notModified.status).toBe(304);
    expect(t.f.sim.rateLimitedRequests()).toBe(counted);
    expect(t.f.sim.requests.at(-1)).toMatchObject({ status: 304, rateLimited: false });

    await t.f.sim.commitFiles(OWNER, REPO, "main", { Dockerfile: "FROM alpine:3.21\n" });
    const changed = await t.octokit.rest.repos.getContent({
      ...repo,
      path: "Dockerfile",
      headers: { "if-none-match": etag },
    });
    expect(changed.status).toBe(200);
    expect(t.f.sim.rateLimitedRequests()).toBe(counted + 1);
  });
});
