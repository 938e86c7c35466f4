import { RequestError } from "@octokit/request-error";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { client, OWNER, repo, setup, type Fixture } from "./setup.js";

// GitHub refuses an App's ref update that brings a commit touching .github/workflows/ unless the
// installation granted `workflows: write`; the simulator does the same, so repin's handling can fail.
let f: Fixture;
beforeEach(async () => {
  f = await setup();
});
afterEach(async () => {
  expect(f.sim.schemaViolations()).toEqual([]);
  await f.sim.stop();
});

/** GitHub's schema knows `workflows` only as "write": an installation that did not grant it has no such key. */
const WITHOUT_WORKFLOWS = { contents: "write", metadata: "read", pull_requests: "write" } as const;

/** A commit on the default branch's head changing `path`, made through the Git Data API with `token`. */
async function commitChanging(token: string, path: string): Promise<string> {
  const octokit = client(f.sim.apiUrl, token);
  const head = (await octokit.rest.git.getRef({ ...repo, ref: "heads/main" })).data.object.sha;
  const base = (await octokit.rest.git.getCommit({ ...repo, commit_sha: head })).data.tree.sha;
  const tree = await octokit.rest.git.createTree({
    ...repo,
    base_tree: base,
    tree: [{ path, mode: "100644", type: "blob", content: "on: push\n" }],
  });
  const commit = await octokit.rest.git.createCommit({ ...repo, message: "m", tree: tree.data.sha, parents: [head] });
  return commit.data.sha;
}

async function tokenFor(permissions?: Record<string, "read" | "write">): Promise<string> {
  const id = permissions ? f.sim.createInstallation({ appId: 4242, account: OWNER, permissions }).id : f.installationId;
  if (permissions) f.sim.addRepository(id, OWNER, repo.repo);
  const { data } = await f.appClient().rest.apps.createInstallationAccessToken({ installation_id: id });
  return data.token;
}

async function refusal(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    if (error instanceof RequestError) return `${error.status} ${error.message}`;
    throw error;
  }
}

describe("workflows permission", () => {
  it("the token response says what the installation granted", async () => {
    const { data } = await f.appClient().rest.apps.createInstallationAccessToken({ installation_id: f.installationId });
    expect(data.permissions?.workflows).toBe("write");
    const limited = f.sim.createInstallation({ appId: 4242, account: OWNER, permissions: WITHOUT_WORKFLOWS }).id;
    const other = await f.appClient().rest.apps.createInstallationAccessToken({ installation_id: limited });
    expect(other.data.permissions).toEqual(WITHOUT_WORKFLOWS);
  });

  it("refuses a branch whose new commit touches .github/workflows/ without workflows: write", async () => {
    const token = await tokenFor(WITHOUT_WORKFLOWS);
    const octokit = client(f.sim.apiUrl, token);
    const sha = await commitChanging(token, ".github/workflows/ci.yml");
    expect(await refusal(octokit.rest.git.createRef({ ...repo, ref: "refs/heads/x", sha }))).toMatch(
      /^422 refusing to allow a GitHub App to create or update workflow `\.github\/workflows\/ci\.yml` without `workflows` permission/,
    );
    expect(await f.sim.resolve(OWNER, repo.repo, "x")).toBeNull();
    // Moving an existing branch onto it is refused too.
    await octokit.rest.git.createRef({
      ...repo,
      ref: "refs/heads/y",
      sha: (await f.sim.resolve(OWNER, repo.repo, "main"))!,
    });
    expect(await refusal(octokit.rest.git.updateRef({ ...repo, ref: "heads/y", sha }))).toMatch(/^422 refusing/);
  });

  it("lets the same installation change other files, and a granted one change workflows", async () => {
    const limited = await tokenFor(WITHOUT_WORKFLOWS);
    const other = await commitChanging(limited, "deploy/app.yaml");
    expect(
      await refusal(client(f.sim.apiUrl, limited).rest.git.createRef({ ...repo, ref: "refs/heads/a", sha: other })),
    ).toBeNull();
    const granted = await tokenFor();
    const workflow = await commitChanging(granted, ".github/workflows/ci.yml");
    expect(
      await refusal(client(f.sim.apiUrl, granted).rest.git.createRef({ ...repo, ref: "refs/heads/b", sha: workflow })),
    ).toBeNull();
  });
});
