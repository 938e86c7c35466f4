// Three App processes on one PostgreSQL (SPEC 12, issue 12 item 3): real processes, the GitHub
// simulator, the real registry with push notifications, signed webhooks over HTTP.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github/index.js";
import { usePostgres } from "../support/postgres/index.js";
import { pushImage } from "../support/registry/push.js";
import { freePort, startRegistry, type TestRegistry } from "../support/registry/registry.js";
import { OWNER, pushPayload } from "../app/support/world.js";
import { startReplica, type Replica } from "./support/replica.js";

const APP = 6161;
const SECRET = "replicas-webhook-secret";
const EVENTS_TOKEN = "replicas-events-token";
const REPOS = Array.from({ length: 12 }, (_, i) => `svc${String(i + 1).padStart(2, "0")}`);

const cluster = usePostgres();
const replicas: Replica[] = [];
let sim: GitHubSimulator | undefined;
let registry: TestRegistry | undefined;
afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.kill()));
  await sim?.stop();
  await registry?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe("three replicas on one PostgreSQL", () => {
  it("share the cycle, survive a SIGKILL mid-cycle, and never write twice", async () => {
    const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const [portA, portB, portC, portD] = ports as [number, number, number, number];
    registry = await startRegistry({
      notify: { url: `http://127.0.0.1:${portB}/api/repin/registry-events`, token: EVENTS_TOKEN },
    });
    sim = await startGitHubSimulator();
    const github = sim;
    const url = await cluster().database();
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    github.createApp({ appId: APP, privateKeyPem: privateKey });
    const { id: installationId } = github.createInstallation({ appId: APP, account: OWNER });
    const image = (name: string) => `${registry!.host}/${name}`;
    const old = (await pushImage(registry, "base", "1.0", { created: "2024-01-01T00:00:00Z" })).digest;
    await pushImage(registry, "base", "1.0", { created: "2024-02-01T00:00:00Z" });
    const web = (await pushImage(registry, "web", "2.0", { created: "2024-01-01T00:00:00Z" })).digest;
    for (const name of REPOS)
      await github.createRepo(OWNER, name, {
        files: { Dockerfile: `FROM ${image("base")}:1.0@${old}\n` },
        installationId,
      });
    await github.createRepo(OWNER, "shared", {
      files: { Dockerfile: `FROM ${image("web")}:2.0@${web}\n` },
      installationId,
    });

    const env = {
      APP_ID: String(APP),
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      HOST: "127.0.0.1",
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      REPIN_DATABASE_URL: url,
      REPIN_SCHEDULE: "*/4 * * * * *",
      REPIN_WATCH_INTERVAL: "off",
      REPIN_FEED_INTERVAL: "off",
      REPIN_ADVISORY_FEEDS: "[]",
      REPIN_PRIVATE_REGISTRIES: registry.host,
      REPIN_INSECURE_REGISTRIES: registry.host,
      REPIN_REGISTRY_EVENTS_TOKEN: EVENTS_TOKEN,
    };
    const start = (name: string, port: number) => {
      const replica = startReplica(name, port, env);
      replicas.push(replica);
      return replica;
    };
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const lockedJobs = async () => {
      const { rows } = await db
        .query<{ n: number }>("select count(*)::int as n from graphile_worker.jobs where locked_at is not null")
        .catch(() => ({ rows: [{ n: 0 }] }));
      return rows[0]?.n ?? 0;
    };
    const waitingJobs = async () => {
      const { rows } = await db.query<{ n: number }>(
        "select count(*)::int as n from graphile_worker.jobs where attempts < max_attempts or locked_at is not null",
      );
      return rows[0]?.n ?? 0;
    };
    const pulls = (repo: string) => github.pulls(OWNER, repo).filter((pull) => pull.state === "open");
    const writes = (pattern: RegExp) => github.writeLog().filter((w) => `${w.method} ${w.path}`.match(pattern));

    // 1. A replica takes the first cycle's jobs and is killed while it holds some.
    const doomed = start("C", portC);
    await until("C to hold jobs", async () => (await lockedJobs()) > 0);
    await doomed.kill();
    const [a, b, d] = [start("A", portA), start("B", portB), start("D", portD)];
    await Promise.all([a.started(), b.started(), d.started()]);
    await until("every repository's PR", () => REPOS.every((repo) => pulls(repo).length > 0), 120_000);
    await until("the queue to drain", async () => (await waitingJobs()) === 0);
    for (const repo of REPOS) expect(pulls(repo), repo).toHaveLength(1);
    expect(writes(/^POST \/repos\/acme\/svc\d+\/pulls$/)).toHaveLength(REPOS.length);
    expect([a, b, d].flatMap((r) => r.logged("queue: a replica went away mid-job; its jobs run again"))).not.toEqual(
      [],
    );

    // 2. Steady cycles: each queued by one replica, each repository scanned once per cycle, nothing written.
    github.resetLog();
    const cycles = () => [a, b, d].flatMap((r) => r.logged("cycle queued"));
    const before = cycles().length;
    await until("two more cycles", () => cycles().length >= before + 2, 30_000);
    await until("the queue to drain", async () => (await waitingJobs()) === 0);
    // Each cron tick was queued by one replica only.
    const slots = cycles().map((line) => String(line.slot));
    expect(new Set(slots).size).toBe(slots.length);
    const ran = cycles().length - before;
    for (const repo of [...REPOS, "shared"]) {
      const scans = github.requests.filter((r) => r.path.startsWith(`/repos/${OWNER}/${repo}/git/ref/heads`)).length;
      expect(scans, repo).toBeGreaterThanOrEqual(ran - 1);
      expect(scans, repo).toBeLessThanOrEqual(ran + 1);
    }
    expect(github.writeLog()).toEqual([]);

    // 3. A webhook to A and a registry event to B for the same repository at the same moment.
    const after = await github.commitFiles(OWNER, "shared", "main", {
      Dockerfile: `# rebuilt\nFROM ${image("web")}:2.0@${web}\n`,
    });
    const body = JSON.stringify(pushPayload(installationId, "shared", "main", ["Dockerfile"], after));
    await Promise.all([
      fetch(`http://127.0.0.1:${portA}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "push",
          "x-github-delivery": randomUUID(),
          "x-hub-signature-256": await sign(SECRET, body),
        },
        body,
      }).then((response) => expect(response.status).toBe(200)),
      // The registry notifies B of the push.
      pushImage(registry, "web", "2.0", { created: "2024-03-01T00:00:00Z" }),
    ]);
    await until("shared's PR", () => pulls("shared").length > 0, 60_000);
    await sleep(3_000);
    await until("the queue to drain", async () => (await waitingJobs()) === 0);
    expect(pulls("shared")).toHaveLength(1);
    expect(writes(/^POST \/repos\/acme\/shared\/pulls$/)).toHaveLength(1);
    // B heard of the push from the registry and queued the repository (the rescan ran on some replica).
    expect(b.logged("watch: tag moved")).toMatchObject([{ tag: `${registry.host}/web:2.0`, repositories: 1 }]);
    await db.end();
    expect(github.unservedRequests()).toEqual([]);
  }, 300_000);
});
