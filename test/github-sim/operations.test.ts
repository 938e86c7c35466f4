import { RequestError } from "@octokit/request-error";
import type { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { client, OWNER, REPO, setup, type Fixture } from "./setup.js";

let f: Fixture;
let octokit: Octokit;
const repo = { owner: OWNER, repo: REPO };
beforeEach(async () => {
  f = await setup();
  octokit = await f.installationClient();
});
afterEach(async () => {
  expect(f.sim.schemaViolations()).toEqual([]);
  await f.sim.stop();
});

async function errorOf(promise: Promise<unknown>): Promise<RequestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RequestError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}

describe("faults and rate limits", () => {
  it("injects server errors a given number of times, then recovers, and logs them", async () => {
    f.sim.injectFault({ method: "GET", path: /\/git\/trees\//, status: 502, times: 2 });
    expect((await errorOf(octokit.rest.git.getTree({ ...repo, tree_sha: "main" }))).status).toBe(502);
    expect((await errorOf(octokit.rest.git.getTree({ ...repo, tree_sha: "main" }))).status).toBe(502);
    expect((await octokit.rest.git.getTree({ ...repo, tree_sha: "main" })).status).toBe(200);
    expect(f.sim.requests.filter((r) => r.fault).map((r) => r.status)).toEqual([502, 502]);
  });

  it("injects primary and secondary rate limits with the headers Octokit's throttling reads", async () => {
    f.sim.injectFault({ path: `/repos/${OWNER}/${REPO}`, status: 403, rateLimited: true, retryAfter: 30 });
    const primary = await errorOf(octokit.rest.repos.get(repo));
    expect(primary.status).toBe(403);
    expect(primary.response?.headers["x-ratelimit-remaining"]).toBe("0");
    expect(Number(primary.response?.headers["x-ratelimit-reset"])).toBeGreaterThan(Date.now() / 1000);

    f.sim.injectFault({ path: `/repos/${OWNER}/${REPO}`, status: 429, retryAfter: 7 });
    const secondary = await errorOf(octokit.rest.repos.get(repo));
    expect(secondary.status).toBe(429);
    expect(secondary.response?.headers["retry-after"]).toBe("7");
    expect(secondary.message).toContain("secondary rate limit");
  });

  it("serves the API at the root as well as at /api/v3", async () => {
    const root = client(f.sim.url, f.sim.createInstallationToken(f.installationId));
    expect((await root.rest.repos.get(repo)).data.url).toBe(`${f.sim.url}/repos/${OWNER}/${REPO}`);
    expect((await octokit.rest.repos.get(repo)).data.url).toBe(`${f.sim.apiUrl}/repos/${OWNER}/${REPO}`);
  });

  it("reports rate-limit headers that count down per installation", async () => {
    const a = await octokit.rest.repos.get(repo);
    const b = await octokit.rest.repos.get(repo);
    expect(a.headers["x-ratelimit-limit"]).toBe("5000");
    expect(Number(a.headers["x-ratelimit-remaining"]) - Number(b.headers["x-ratelimit-remaining"])).toBe(1);
    expect(b.headers["x-ratelimit-resource"]).toBe("core");
    expect(f.sim.requests.at(-1)).toMatchObject({ installationId: f.installationId, rateLimited: true, operationId: "repos/get" });
  });
});

describe("permissions, dispatches and check runs", () => {
  it("answers collaborator permission lookups as set by tests", async () => {
    f.sim.setPermission(OWNER, REPO, "alice", "maintain");
    f.sim.setPermission(OWNER, REPO, "eve", "triage");
    const alice = (await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: "alice" })).data;
    expect([alice.permission, alice.role_name, alice.user?.login]).toEqual(["write", "maintain", "alice"]);
    const eve = (await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: "eve" })).data;
    expect([eve.permission, eve.role_name]).toEqual(["read", "triage"]);
    const owner = (await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: OWNER })).data;
    expect(owner.permission).toBe("admin");
  });

  it("records repository dispatches", async () => {
    const res = await octokit.rest.repos.createDispatchEvent({ ...repo, event_type: "repin-base-updated", client_payload: { image: "alpine", tag: "3.20" } });
    expect(res.status).toBe(204);
    expect(f.sim.dispatches()).toEqual([{ owner: OWNER, repo: REPO, eventType: "repin-base-updated", clientPayload: { image: "alpine", tag: "3.20" }, installationId: f.installationId }]);
    expect((await errorOf(octokit.rest.repos.createDispatchEvent({ ...repo, event_type: "" }))).status).toBe(422);
  });

  it("creates, updates and lists check runs for a ref", async () => {
    const head = (await f.sim.resolve(OWNER, REPO, "main")) ?? "";
    const { data: run } = await octokit.rest.checks.create({ ...repo, name: "repin/config", head_sha: head, status: "in_progress" });
    expect(run.app?.id).toBe(4242);
    const { data: done } = await octokit.rest.checks.update({
      ...repo,
      check_run_id: run.id,
      conclusion: "failure",
      output: { title: "Invalid .github/repin.yml", summary: "line 2: unknown key" },
    });
    expect([done.status, done.conclusion, done.output.title]).toEqual(["completed", "failure", "Invalid .github/repin.yml"]);
    const { data: list } = await octokit.rest.checks.listForRef({ ...repo, ref: "main", check_name: "repin/config" });
    expect(list.total_count).toBe(1);
    expect(list.check_runs[0]?.conclusion).toBe("failure");
  });
});
