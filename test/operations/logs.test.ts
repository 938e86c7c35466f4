// SPEC 13: failures to reach GitHub or a registry are WARN or ERROR at the default level, with the
// reason, and never a secret — checked on the log lines of a real repin process.
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github/index.js";
import { freePort } from "../support/registry/registry.js";
import { startRepinProcess, type RepinProcess } from "./support/process.js";

const APP = 7171;
const OWNER = "acme";
const WEBHOOK_SECRET = "logs-webhook-secret-never-logged";
const WARN = 40;
let sim: GitHubSimulator | null = null;
const dirs: string[] = [];
const running: RepinProcess[] = [];

afterEach(async () => {
  for (const app of running.splice(0)) await app.kill();
  await sim?.stop();
  sim = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function keyPair(): string {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
}

async function start(env: Record<string, string>): Promise<RepinProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), "repin-logs-"));
  dirs.push(dataDir);
  const app = startRepinProcess({
    APP_ID: String(APP),
    WEBHOOK_SECRET,
    HOST: "127.0.0.1",
    GHE_PROTOCOL: "http",
    REPIN_DATA_DIR: dataDir,
    REPIN_SCHEDULE: "*/2 * * * * *",
    REPIN_WATCH_INTERVAL: "off",
    REPIN_FEED_INTERVAL: "off",
    REPIN_ADVISORY_FEEDS: "[]",
    PORT: String(await freePort()),
    ...env,
  });
  running.push(app);
  return app;
}

/** No line carries the private key, the webhook secret or an installation token. */
function expectNoSecret(app: RepinProcess, privateKey: string): void {
  const text = app.lines.map((line) => JSON.stringify(line)).join("\n") + app.stderr();
  const keyLines = privateKey.split("\n").filter((line) => line.length > 20 && !line.startsWith("-----"));
  for (const line of keyLines) expect(text).not.toContain(line);
  expect(text).not.toContain(WEBHOOK_SECRET);
  expect(text).not.toMatch(/ghs_[A-Za-z0-9]{20,}/);
}

describe("log lines of failures", () => {
  it("GitHub that does not answer: an ERROR with the reason, each cycle", async () => {
    const privateKey = keyPair();
    const closed = `127.0.0.1:${await freePort()}`;
    const app = await start({ PRIVATE_KEY: privateKey, GHE_HOST: closed });
    const line = await app.waitFor((l) => l.msg === "cycle failed");
    expect(line.level).toBeGreaterThanOrEqual(50);
    expect(String(line.error)).toMatch(/ECONNREFUSED|fetch failed|connect/);
    expectNoSecret(app, privateKey);
  }, 90_000);

  it("a registry that does not answer: a WARN naming the host and the reason, once, not per repository", async () => {
    const privateKey = keyPair();
    sim = await startGitHubSimulator();
    sim.createApp({ appId: APP, privateKeyPem: privateKey });
    const { id: installationId } = sim.createInstallation({ appId: APP, account: OWNER });
    const down = `127.0.0.1:${await freePort()}`;
    const digest = `sha256:${"a".repeat(64)}`;
    for (const name of ["one", "two", "three"])
      await sim.createRepo(OWNER, name, { installationId, files: { Dockerfile: `FROM ${down}/base:1.0@${digest}\n` } });
    const app = await start({
      PRIVATE_KEY: privateKey,
      GHE_HOST: sim.host,
      REPIN_PRIVATE_REGISTRIES: down,
      REPIN_INSECURE_REGISTRIES: down,
    });
    await app.waitFor((l) => l.msg === "cycle done");
    const warned = app.lines.filter((l) => Number(l.level) >= WARN && JSON.stringify(l).includes(down));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ registry: down });
    expect(String(warned[0]!.reason)).toMatch(/refused|connect|answer/i);
    expectNoSecret(app, privateKey);
  }, 90_000);
});
