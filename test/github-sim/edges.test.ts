import { describe, expect, it } from "vitest";
import { OWNER, REPO, errorOf, repo, setup, useSimulator } from "./setup.js";

const t = useSimulator();

const message = (error: { response?: { data: unknown } }) => (error.response?.data as { message?: string }).message;

describe("answers GitHub gives that repin reads meaning into", () => {
  it("fails a route it does not serve with 501 and records it, instead of a 404 repin would read as an answer", async () => {
    const own = await setup();
    try {
      const octokit = await own.installationClient();
      const unknown = await errorOf(octokit.request("GET /repos/{owner}/{repo}/environments", repo));
      expect(unknown.status).toBe(501);
      expect(message(unknown)).toContain("does not serve GET /repos/acme/web/environments");
      const wrongMethod = await errorOf(octokit.request("DELETE /repos/{owner}/{repo}/pulls", repo));
      expect(wrongMethod.status).toBe(501);
      expect(own.sim.unservedRequests()).toEqual(["GET /repos/acme/web/environments", "DELETE /repos/acme/web/pulls"]);
      // A served route on a missing resource is still GitHub's 404.
      expect((await errorOf(octokit.rest.git.getRef({ ...repo, ref: "heads/nope" }))).status).toBe(404);
      expect(own.sim.unservedRequests()).toHaveLength(2);
    } finally {
      await own.sim.stop();
    }
  });

  it("answers an empty repository as GitHub does: 409 from Git Data and commit listings, 404 from contents", async () => {
    await t.f.sim.createEmptyRepo(OWNER, "blank", { installationId: t.f.installationId });
    const blank = { owner: OWNER, repo: "blank" };
    const { data: meta } = await t.octokit.rest.repos.get(blank);
    expect(meta.default_branch).toBe("main");
    for (const request of [
      () => t.octokit.rest.git.getRef({ ...blank, ref: "heads/main" }),
      () => t.octokit.rest.git.listMatchingRefs({ ...blank, ref: "heads/" }),
      () => t.octokit.rest.git.getTree({ ...blank, tree_sha: "main" }),
      () => t.octokit.rest.git.createBlob({ ...blank, content: "x", encoding: "utf-8" }),
      () => t.octokit.rest.repos.listCommits(blank),
    ]) {
      const error = await errorOf(request());
      expect([error.status, message(error)]).toEqual([409, "Git Repository is empty."]);
    }
    const contents = await errorOf(t.octokit.rest.repos.getContent({ ...blank, path: "" }));
    expect([contents.status, message(contents)]).toEqual([404, "This repository is empty."]);
    expect((await errorOf(t.octokit.rest.repos.getBranch({ ...blank, branch: "main" }))).status).toBe(404);
    expect((await t.octokit.rest.pulls.list(blank)).data).toEqual([]);

    // A first push fills it.
    const sha = await t.f.sim.commitFiles(OWNER, "blank", "main", { Dockerfile: "FROM alpine:3.20\n" });
    expect((await t.octokit.rest.git.getRef({ ...blank, ref: "heads/main" })).data.object.sha).toBe(sha);
  });

  it("answers a permission check by level: 404 for no such account, read or none for a non-collaborator", async () => {
    const level = async (username: string, name = REPO) =>
      (await t.octokit.rest.repos.getCollaboratorPermissionLevel({ owner: OWNER, repo: name, username })).data;
    expect((await errorOf(level("nobody-at-all"))).status).toBe(404);

    t.f.sim.createUserToken("reader"); // an account that is no collaborator
    expect(await level("reader")).toMatchObject({ permission: "read", role_name: "read", user: { login: "reader" } });
    t.f.sim.setPermission(OWNER, REPO, "writer", "write");
    expect(await level("writer")).toMatchObject({ permission: "write", user: { permissions: { push: true } } });
    expect(await level(OWNER)).toMatchObject({ permission: "admin" });

    await t.f.sim.createRepo(OWNER, "secret", { installationId: t.f.installationId, private: true });
    expect(await level("reader", "secret")).toMatchObject({
      permission: "none",
      user: { permissions: { pull: false } },
    });
  });
});
