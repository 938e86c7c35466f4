import { generateKeyPairSync } from "node:crypto";
import { RequestError } from "@octokit/request-error";
import { ProbotOctokit } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signAppJwt } from "../support/github/index.js";
import { APP_ID, client, OWNER, REPO, setup, type Fixture } from "./setup.js";

let f: Fixture;
beforeEach(async () => {
  f = await setup();
});
afterEach(async () => {
  expect(f.sim.schemaViolations()).toEqual([]);
  await f.sim.stop();
});

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    if (error instanceof RequestError) return error.status;
    throw error;
  }
}

describe("GitHub App authentication", () => {
  it("verifies the App JWT and issues installation tokens scoped to the installation", async () => {
    const app = f.appClient();
    const { data: me } = await app.rest.apps.getAuthenticated();
    expect(me?.id).toBe(APP_ID);
    expect(me?.slug).toBe("repin");

    const { data: token } = await app.rest.apps.createInstallationAccessToken({ installation_id: f.installationId });
    expect(token.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    expect(Date.parse(token.expires_at)).toBeGreaterThan(Date.now());

    const octokit = client(f.sim.apiUrl, token.token);
    const { data: repos } = await octokit.rest.apps.listReposAccessibleToInstallation();
    expect(repos.repositories.map((r) => r.full_name)).toEqual([`${OWNER}/${REPO}`]);

    // a repository of another installation stays invisible
    const other = f.sim.createInstallation({ appId: APP_ID, account: "globex" });
    await f.sim.createRepo("globex", "secret", { installationId: other.id });
    expect(await statusOf(octokit.rest.repos.get({ owner: "globex", repo: "secret" }))).toBe(404);
    expect((await octokit.rest.repos.get({ owner: OWNER, repo: REPO })).data.default_branch).toBe("main");
  });

  it("answers 401 to bad JWTs and unknown or expired tokens", async () => {
    const { privateKey: otherKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const forged = client(f.sim.apiUrl, signAppJwt(APP_ID, otherKey));
    expect(await statusOf(forged.rest.apps.getAuthenticated())).toBe(401);
    const expired = client(f.sim.apiUrl, signAppJwt(APP_ID, f.privateKey, Math.floor(Date.now() / 1000) - 3600));
    expect(await statusOf(expired.rest.apps.getAuthenticated())).toBe(401);
    const unknown = client(f.sim.apiUrl, "ghs_" + "x".repeat(36));
    expect(await statusOf(unknown.rest.repos.get({ owner: OWNER, repo: REPO }))).toBe(401);
    expect(await statusOf(client(f.sim.apiUrl).rest.repos.get({ owner: OWNER, repo: REPO }))).toBe(401);

    const octokit = await f.installationClient();
    expect(await statusOf(octokit.rest.apps.getAuthenticated())).toBe(401);
    f.sim.advanceTime(2 * 60 * 60 * 1000);
    expect(await statusOf(octokit.rest.repos.get({ owner: OWNER, repo: REPO }))).toBe(401);
    const last = f.sim.requests.at(-1);
    expect(last?.status).toBe(401);
  });

  it("paginates installations and installation repositories with Link headers", async () => {
    for (const account of ["o1", "o2", "o3"]) f.sim.createInstallation({ appId: APP_ID, account });
    for (const name of ["a", "b", "c", "d", "e"])
      await f.sim.createRepo(OWNER, name, { installationId: f.installationId });
    const app = f.appClient();
    const first = await app.rest.apps.listInstallations({ per_page: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.headers.link).toContain('rel="next"');
    const all = await app.paginate(app.rest.apps.listInstallations, { per_page: 2 });
    expect(all.map((i) => i.account?.login)).toEqual([OWNER, "o1", "o2", "o3"]);

    const octokit = await f.installationClient();
    const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 2 });
    expect(repos.map((r) => r.name).sort()).toEqual(["a", "b", "c", "d", "e", REPO].sort());
    expect(f.sim.requests.filter((r) => r.path === "/installation/repositories")).toHaveLength(3);
  });

  it("serves Probot's installation client and context.config over /api/v3 with %2F paths and raw contents", async () => {
    const octokit = new ProbotOctokit({
      auth: { appId: APP_ID, privateKey: f.privateKey, installationId: f.installationId },
      baseUrl: f.sim.apiUrl,
      throttle: { enabled: false },
      retry: { enabled: false },
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    const { config } = await octokit.config.get({ owner: OWNER, repo: REPO, path: ".github/repin.yml" });
    expect(config).toEqual({ pin: true, labels: ["deps"] });
    const contentRequest = f.sim.requests.find((r) => r.operationId === "repos/get-content");
    expect(contentRequest?.path).toBe("/repos/acme/web/contents/.github%2Frepin.yml");
    expect(contentRequest?.installationId).toBe(f.installationId);

    const raw = await fetch(`${f.sim.apiUrl}/repos/${OWNER}/${REPO}/contents/.github%2Frepin.yml`, {
      headers: {
        accept: "application/vnd.github.raw+json",
        authorization: `token ${f.sim.createInstallationToken(f.installationId)}`,
      },
    });
    expect(raw.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await raw.text()).toBe("pin: true\nlabels: [deps]\n");

    const missing = await octokit.config.get({ owner: OWNER, repo: REPO, path: ".github/absent.yml" });
    expect(missing.config).toEqual({});
    // the repository, then the owner's .github repository (absent here)
    expect(missing.files.map((file) => file.config)).toEqual([null, null]);
  });

  it("lists the installation of a repository for the App", async () => {
    const { data } = await f.appClient().rest.apps.getRepoInstallation({ owner: OWNER, repo: REPO });
    expect(data.id).toBe(f.installationId);
    expect(data.account && "login" in data.account ? data.account.login : null).toBe(OWNER);
  });
});
