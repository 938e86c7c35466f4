import { describe, expect, it } from "vitest";
import { client, OWNER, REPO, errorOf, repo, useSimulator } from "./setup.js";

const t = useSimulator();

describe("faults and rate limits", () => {
  it("injects server errors a given number of times, then recovers, and logs them", async () => {
    t.f.sim.injectFault({ method: "GET", path: /\/git\/trees\//, status: 502, times: 2 });
    expect((await errorOf(t.octokit.rest.git.getTree({ ...repo, tree_sha: "main" }))).status).toBe(502);
    expect((await errorOf(t.octokit.rest.git.getTree({ ...repo, tree_sha: "main" }))).status).toBe(502);
    expect((await t.octokit.rest.git.getTree({ ...repo, tree_sha: "main" })).status).toBe(200);
    expect(t.f.sim.requests.filter((r) => r.fault).map((r) => r.status)).toEqual([502, 502]);
  });

  it("injects primary and secondary rate limits with the headers Octokit's throttling reads", async () => {
    t.f.sim.injectFault({ path: `/repos/${OWNER}/${REPO}`, status: 403, rateLimited: true, retryAfter: 30 });
    const primary = await errorOf(t.octokit.rest.repos.get(repo));
    expect(primary.status).toBe(403);
    expect(primary.response?.headers["x-ratelimit-remaining"]).toBe("0");
    expect(Number(primary.response?.headers["x-ratelimit-reset"])).toBeGreaterThan(Date.now() / 1000);

    t.f.sim.injectFault({ path: `/repos/${OWNER}/${REPO}`, status: 429, retryAfter: 7 });
    const secondary = await errorOf(t.octokit.rest.repos.get(repo));
    expect(secondary.status).toBe(429);
    expect(secondary.response?.headers["retry-after"]).toBe("7");
    expect(secondary.message).toContain("secondary rate limit");
  });

  it("serves the API at the root as well as at /api/v3", async () => {
    const root = client(t.f.sim.url, t.f.sim.createInstallationToken(t.f.installationId));
    expect((await root.rest.repos.get(repo)).data.url).toBe(`${t.f.sim.url}/repos/${OWNER}/${REPO}`);
    expect((await t.octokit.rest.repos.get(repo)).data.url).toBe(`${t.f.sim.apiUrl}/repos/${OWNER}/${REPO}`);
  });

  it("reports rate-limit headers that count down per installation", async () => {
    const a = await t.octokit.rest.repos.get(repo);
    const b = await t.octokit.rest.repos.get(repo);
    expect(a.headers["x-ratelimit-limit"]).toBe("5000");
    expect(Number(a.headers["x-ratelimit-remaining"]) - Number(b.headers["x-ratelimit-remaining"])).toBe(1);
    expect(b.headers["x-ratelimit-resource"]).toBe("core");
    expect(t.f.sim.requests.at(-1)).toMatchObject({
      installationId: t.f.installationId,
      rateLimited: true,
      operationId: "repos/get",
    });
  });
});

describe("permissions, dispatches and check runs", () => {
  it("answers collaborator permission lookups as set by tests", async () => {
    t.f.sim.setPermission(OWNER, REPO, "alice", "maintain");
    t.f.sim.setPermission(OWNER, REPO, "eve", "triage");
    const alice = (await t.octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: "alice" })).data;
    expect([alice.permission, alice.role_name, alice.user?.login]).toEqual(["write", "maintain", "alice"]);
    const eve = (await t.octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: "eve" })).data;
    expect([eve.permission, eve.role_name]).toEqual(["read", "triage"]);
    const owner = (await t.octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: OWNER })).data;
    expect(owner.permission).toBe("admin");
  });

  it("records repository dispatches", async () => {
    const res = await t.octokit.rest.repos.createDispatchEvent({
      ...repo,
      event_type: "repin-base-updated",
      client_payload: { image: "alpine", tag: "3.20" },
    });
    expect(res.status).toBe(204);
    expect(t.f.sim.dispatches()).toEqual([
      {
        owner: OWNER,
        repo: REPO,
        eventType: "repin-base-updated",
        clientPayload: { image: "alpine", tag: "3.20" },
        installationId: t.f.installationId,
      },
    ]);
    expect((await errorOf(t.octokit.rest.repos.createDispatchEvent({ ...repo, event_type: "" }))).status).toBe(422);
  });

  it("creates, updates and lists check runs for a ref", async () => {
    const head = (await t.f.sim.resolve(OWNER, REPO, "main")) ?? "";
    const { data: run } = await t.octokit.rest.checks.create({
      ...repo,
      name: "repin/config",
      head_sha: head,
      status: "in_progress",
    });
    expect(run.app?.id).toBe(4242);
    const { data: done } = await t.octokit.rest.checks.update({
      ...repo,
      check_run_id: run.id,
      conclusion: "failure",
      output: { title: "Invalid .github/repin.yml", summary: "line 2: unknown key" },
    });
    expect([done.status, done.conclusion, done.output.title]).toEqual([
      "completed",
      "failure",
      "Invalid .github/repin.yml",
    ]);
    const { data: list } = await t.octokit.rest.checks.listForRef({ ...repo, ref: "main", check_name: "repin/config" });
    expect(list.total_count).toBe(1);
    expect(list.check_runs[0]?.conclusion).toBe("failure");
  });
});
