// Graceful shutdown (SPEC 12, issue 12 item 4) with a real process: SIGTERM while a queued job is
// in flight (its registry request held up by a proxy) either finishes the job within
// REPIN_SHUTDOWN_GRACE or leaves it queued for the next start; either way the process exits 0 and
// the store is closed (SQLite is held exclusively: opening it at once proves the lock is gone).
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStoreDir } from "../../src/store/index.js";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github/index.js";
import { startFaultProxy, type FaultProxy } from "../support/registry/faultProxy.js";
import { pushImage } from "../support/registry/push.js";
import { freePort, startRegistry, type TestRegistry } from "../support/registry/registry.js";
import { startRepinProcess, type RepinProcess } from "./support/process.js";

const APP = 6161;
const OWNER = "acme";
let sim: GitHubSimulator;
let registry: TestRegistry;
let proxy: FaultProxy;
let dataDir: string;
let env: Record<string, string>;
let installationId: number;
const running: RepinProcess[] = [];

beforeEach(async () => {
  registry = await startRegistry();
  proxy = await startFaultProxy(registry.url);
  sim = await startGitHubSimulator();
  dataDir = mkdtempSync(join(tmpdir(), "repin-shutdown-"));
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  sim.createApp({ appId: APP, privateKeyPem: privateKey });
  installationId = sim.createInstallation({ appId: APP, account: OWNER }).id;
  const old = (await pushImage(registry, "base", "1.0", { created: "2024-01-01T00:00:00Z" })).digest;
  await pushImage(registry, "base", "1.0", { created: "2024-02-01T00:00:00Z" });
  await sim.createRepo(OWNER, "svc", {
    installationId,
    files: { Dockerfile: `FROM ${proxy.host}/base:1.0@${old}\nRUN true\n` },
  });
  env = {
    APP_ID: String(APP),
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: "shutdown-secret",
    HOST: "127.0.0.1",
    GHE_HOST: sim.host,
    GHE_PROTOCOL: "http",
    REPIN_DATA_DIR: dataDir,
    REPIN_SCHEDULE: "off",
    REPIN_WATCH_INTERVAL: "off",
    REPIN_FEED_INTERVAL: "off",
    REPIN_ADVISORY_FEEDS: "[]",
    REPIN_PRIVATE_REGISTRIES: proxy.host,
    REPIN_INSECURE_REGISTRIES: proxy.host,
  };
});

afterEach(async () => {
  for (const app of running.splice(0)) await app.kill();
  await sim?.stop();
  await proxy?.stop();
  await registry?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What a previous process left: svc queued, as a registry event would have queued it. */
async function queueSvc(): Promise<void> {
  const store = await openStoreDir(dataDir);
  await store.queue.enqueue({ installationId, owner: OWNER, name: "svc", reason: "test", firstSeenAt: Date.now() });
  await store.close();
}

/** Opens the store right away (it fails while another process holds it) and reads the queue. */
async function queued(): Promise<string[]> {
  const store = await openStoreDir(dataDir, { busyTimeoutMs: 0 });
  try {
    return (await store.queue.due(Number.MAX_SAFE_INTEGER, 10)).map((work) => `${work.owner}/${work.name}`);
  } finally {
    await store.close();
  }
}

async function start(extra: Record<string, string> = {}): Promise<RepinProcess> {
  const app = startRepinProcess({ ...env, PORT: String(await freePort()), ...extra });
  running.push(app);
  return app;
}

/** Resolves once the simulator saw the job read svc: the job is running. */
async function jobStarted(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!sim.requests.some((request) => request.path.startsWith(`/repos/${OWNER}/svc/`))) {
    if (Date.now() > deadline) throw new Error("the queued job did not start");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const prs = () => sim.pulls(OWNER, "svc");

describe("SIGTERM with a job in flight", () => {
  it("finishes the job within the grace, closes the store and exits 0", async () => {
    await queueSvc();
    proxy.add({ path: "/v2/base/manifests/", times: 1, action: { type: "delay", ms: 3_000 } });
    const app = await start({ REPIN_SHUTDOWN_GRACE: "25" });
    await jobStarted();
    expect(prs()).toHaveLength(0);
    app.signal("SIGTERM");
    expect(await app.exited).toBe(0);
    expect(prs()).toHaveLength(1);
    expect(await queued()).toEqual([]);
    expect(app.lines.some((line) => line.msg === "stopped")).toBe(true);
  }, 120_000);

  it("hands the job back when the grace runs out: the next start runs it", async () => {
    await queueSvc();
    proxy.add({ path: "/v2/base/manifests/", times: 1, action: { type: "delay", ms: 20_000 } });
    const first = await start({ REPIN_SHUTDOWN_GRACE: "1" });
    await jobStarted();
    const signalled = Date.now();
    first.signal("SIGTERM");
    expect(await first.exited).toBe(0);
    // Within the grace and the time to close, well before the held request would have ended.
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(prs()).toHaveLength(0);
    expect(await queued()).toEqual([`${OWNER}/svc`]);

    const second = await start();
    await second.waitFor((line) => line.msg === "upstream change to PR");
    expect(prs()).toHaveLength(1);
    second.signal("SIGINT");
    expect(await second.exited).toBe(0);
    expect(await queued()).toEqual([]);
  }, 120_000);

  it("exits 0 at once when idle, with the store closed", async () => {
    const app = await start();
    await app.waitFor((line) => line.msg === "repin started");
    app.signal("SIGTERM");
    expect(await app.exited).toBe(0);
    expect(await queued()).toEqual([]);
  }, 60_000);
});
