// What an operator sees at Probot's default log level (info) when the App cannot get an
// installation token: one ERROR per installation naming it, GitHub's status and what to check.
import { generateKeyPairSync } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Probot, ProbotOctokit, run, Server } from "probot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFeedFetcher } from "../../src/advisory-feeds/index.js";
import repinApp, { createRepin, defaultAdvisories, type Repin } from "../../src/app/index.js";
import { createAdvisoryStore } from "../../src/explain/index.js";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github/index.js";
import { freePort } from "../support/registry/registry.js";
import { installationPayload, OWNER } from "./support/world.js";
import { sign } from "@octokit/webhooks-methods";
import { randomUUID } from "node:crypto";

const APP = 4545;
const SECRET = "diagnostics-secret";

interface Line {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

let sim: GitHubSimulator | undefined;
let server: Server | undefined;
let repin: Repin | undefined;
let lines: Line[];
let installationId: number;
let port: number;

/** A running App whose installation token GitHub refuses: for a wrong key (401), or a suspension (403). */
async function start(refusal: "wrong-key" | "suspended"): Promise<void> {
  sim = await startGitHubSimulator();
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  sim.createApp({ appId: APP, privateKeyPem: privateKey });
  // The App runs with another key: GitHub refuses its JWT (a PRIVATE_KEY from another App).
  const { privateKey: wrongKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  installationId = sim.createInstallation({ appId: APP, account: OWNER }).id;
  for (const name of ["one", "two", "three", "four", "five"])
    await sim.createRepo(OWNER, name, { files: { Dockerfile: "FROM alpine:3.20\n" }, installationId });
  if (refusal === "suspended") sim.injectFault({ method: "POST", path: /\/access_tokens$/, status: 403, times: 1000 });

  lines = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Line);
      done();
    },
  });
  const log = pino({ level: "info" }, sink); // Probot's default LOG_LEVEL
  const Octokit = ProbotOctokit.defaults((instance: Record<string, unknown>) => ({
    ...instance,
    retry: { enabled: false },
    throttle: { ...(instance.throttle as object), enabled: false },
  }));
  repin = createRepin({ schedule: null, advisories: createAdvisoryStore({ feeds: [], fetcher: createFeedFetcher() }) });
  port = await freePort();
  server = new Server({
    host: "127.0.0.1",
    port,
    log,
    Probot: Probot.defaults({
      appId: APP,
      privateKey: refusal === "wrong-key" ? wrongKey : privateKey,
      secret: SECRET,
      baseUrl: sim.url,
      Octokit,
      log,
    }),
  });
  await server.load(repin.app);
  await server.start();
}

afterEach(async () => {
  repin?.stop();
  await server?.stop();
  await sim?.stop();
  [repin, server, sim] = [undefined, undefined, undefined];
  vi.unstubAllEnvs();
});

const errors = () => lines.filter((line) => line.level >= 50);
const tokenRequests = () => sim!.requests.filter((request) => request.path.endsWith("/access_tokens"));

describe("an installation whose token GitHub refuses", () => {
  it("a webhook: every failure names the installation token, the status and what to check; the token is asked once", async () => {
    await start("wrong-key");
    const body = JSON.stringify(installationPayload(installationId, ["one", "two", "three", "four", "five"]));
    const response = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "installation",
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": await sign(SECRET, body),
      },
      body,
    });
    expect(response.status).toBe(200);
    const reasons = errors().map((line) => String(line.reason));
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) {
      expect(reason).toMatch(new RegExp(`^no installation token for installation ${installationId} \\(401 `));
      expect(reason).toContain("check APP_ID, PRIVATE_KEY");
    }
    expect(tokenRequests()).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain("PRIVATE KEY-----");
  });

  it("a cycle: the installation fails with its token named as the reason, at ERROR", async () => {
    await start("suspended");
    const report = await repin!.runCycle();
    expect(report).toMatchObject({ installations: 1, failedInstallations: 1, outcomes: [] });
    expect(errors().map((line) => [line.installation, String(line.reason)])).toEqual([
      [
        installationId,
        expect.stringMatching(
          new RegExp(`^no installation token for installation ${installationId} \\(403 .*suspended`),
        ),
      ],
    ]);
  });
});

describe("REPIN_ADVISORY_FEEDS that repin cannot use", () => {
  const ecosystems = "one of alpine, wolfi, chainguard, debian";

  it("a secdb feed without an ecosystem stops the start with the entry, the reason and the ecosystems", async () => {
    vi.stubEnv("REPIN_SCHEDULE", "off");
    vi.stubEnv("REPIN_ADVISORY_FEEDS", "osv:https://feeds.example/osv.json,secdb:https://feeds.example/security.json");
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const port = String(await freePort());
    const env = { APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: "s", HOST: "127.0.0.1", PORT: port };
    const silent = pino({ level: "silent" });
    await expect(run(repinApp, { env, log: silent })).rejects.toThrow(
      `REPIN_ADVISORY_FEEDS entry 2: a secdb feed needs an ecosystem (${ecosystems})`,
    );
  });

  it("an unknown ecosystem or a JSON value that is not a list is refused with the reason", () => {
    expect(() =>
      defaultAdvisories({ REPIN_ADVISORY_FEEDS: '[{"format":"secdb","ecosystem":"ubuntu","url":"https://x.test/a"}]' }),
    ).toThrow(`REPIN_ADVISORY_FEEDS entry 1: unknown ecosystem "ubuntu" (${ecosystems})`);
    expect(() =>
      defaultAdvisories({ REPIN_ADVISORY_FEEDS: '{"format":"secdb","ecosystem":"wolfi","url":"https://x.test/a"}' }),
    ).toThrow("REPIN_ADVISORY_FEEDS is JSON but not a list");
    expect(defaultAdvisories({ REPIN_ADVISORY_FEEDS: "secdb:wolfi:https://x.test/a" }).generation).toBe(0);
  });
});
