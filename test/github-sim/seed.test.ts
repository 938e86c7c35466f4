import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, it } from "vitest";
import {
  seedRepos,
  signAppJwt,
  startGitHubSimulator,
  startSimulatorProcess,
  type GitHubSimulator,
  type SimulatorProcess,
} from "../support/github/index.js";
import { APP_ID, client, OWNER, SEED_FILES } from "./setup.js";

const keys = () =>
  generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });

async function installationClient(apiUrl: string, privateKey: string, installationId: number): Promise<Octokit> {
  const { data } = await client(apiUrl, signAppJwt(APP_ID, privateKey)).rest.apps.createInstallationAccessToken({
    installation_id: installationId,
  });
  return client(apiUrl, data.token);
}

describe("seedRepos", () => {
  let sim: GitHubSimulator;
  afterEach(() => sim.stop());

  it("writes the same objects git writes, and the API serves them", async () => {
    sim = await startGitHubSimulator();
    const { privateKey } = keys();
    sim.createApp({ appId: APP_ID, privateKeyPem: privateKey });
    const { id: installationId } = sim.createInstallation({ appId: APP_ID, account: OWNER });
    const [seeded] = seedRepos(sim, OWNER, [{ name: "fast", files: SEED_FILES }], { installationId });
    const made = await sim.createRepo(OWNER, "slow", { files: SEED_FILES });

    const dir = sim.repoDir(OWNER, "fast");
    execFileSync("git", ["fsck", "--strict", "--no-dangling"], { cwd: dir, stdio: "pipe" });
    const treeOf = (d: string, sha: string) =>
      execFileSync("git", ["rev-parse", `${sha}^{tree}`], { cwd: d })
        .toString()
        .trim();
    expect(treeOf(dir, seeded?.headSha ?? "")).toBe(treeOf(made.dir, made.headSha));

    const octokit = await installationClient(sim.apiUrl, privateKey, installationId);
    const { data: repos } = await octokit.rest.apps.listReposAccessibleToInstallation();
    expect(repos.repositories.map((r) => r.name)).toEqual(["fast"]);
    const { data: tree } = await octokit.rest.git.getTree({
      owner: OWNER,
      repo: "fast",
      tree_sha: "main",
      recursive: "1",
    });
    expect(
      tree.tree
        .filter((e) => e.type === "blob")
        .map((e) => e.path)
        .sort(),
    ).toEqual(Object.keys(SEED_FILES).sort());
    expect(await sim.readFile(OWNER, "fast", "main", "services/api/Dockerfile")).toBe(
      SEED_FILES["services/api/Dockerfile"],
    );
    expect(sim.schemaViolations()).toEqual([]);
  });
});

describe("startSimulatorProcess", () => {
  let child: SimulatorProcess | undefined;
  afterEach(() => child?.stop());

  it("serves seeded repositories from a child process and counts the requests", async () => {
    child = await startSimulatorProcess({ validate: false });
    const { privateKey, publicKey } = keys();
    await child.call("createApp", { appId: APP_ID, publicKey });
    const { id: installationId } = await child.call("createInstallation", { appId: APP_ID, account: OWNER });
    const repos = Array.from({ length: 3 }, (_, i) => ({
      name: `r${i}`,
      files: { Dockerfile: `FROM alpine:3.${i}\n` },
    }));
    expect(await child.call("seed", { owner: OWNER, installationId, repos })).toEqual({ count: 3 });

    const octokit = await installationClient(child.apiUrl, privateKey, installationId);
    const { data } = await octokit.rest.repos.getContent({ owner: OWNER, repo: "r2", path: "Dockerfile" });
    expect("content" in data ? Buffer.from(data.content, "base64").toString("utf8") : null).toBe("FROM alpine:3.2\n");
    const counters = await child.call("counters");
    expect(counters).toMatchObject({ requests: 2, repoRequests: 1, repoRateLimited: 1, writes: 0 });
    await child.call("resetLog");
    expect((await child.call("counters")).requests).toBe(0);
    await expect(child.call("seed", { owner: OWNER, repos: [{ name: "r0", files: {} }] })).rejects.toThrow(/exists/);
  });

  it("stops the child when asked", async () => {
    child = await startSimulatorProcess();
    const pid = child.pid;
    await child.stop();
    child = undefined;
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
