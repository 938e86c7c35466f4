// Registration through Probot's real setup flow (`npm start` without credentials runs `run()` the
// same way): the webhook URL the `/probot` page would register with GitHub, and a signed delivery
// to that URL reaching repin once the App runs with the credentials GitHub returned.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sign } from "@octokit/webhooks-methods";
import { pino } from "pino";
import { ProbotOctokit, run, type Server } from "probot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import repinApp from "../../src/app/index.js";
import { startGitHubSimulator } from "../support/github/index.js";
import { pushImage } from "../support/registry/push.js";
import { freePort, startRegistry } from "../support/registry/registry.js";
import { dockerfile, installationPayload, OWNER } from "./support/world.js";

const log = pino({ level: process.env.REPIN_TEST_LOG ?? "silent" });
const servers: Server[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

beforeEach(() => {
  // Outside npx/bunx Probot's smee helper only imports a locally installed smee-client: no download.
  vi.stubEnv("npm_lifecycle_event", "test");
  for (const name of ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_PROXY_URL", "NO_SMEE_SETUP"])
    vi.stubEnv(name, undefined);
  // The App's store: a directory of this test's, never ./.repin of the checkout.
  const dataDir = mkdtempSync(join(tmpdir(), "repin-setup-data-"));
  vi.stubEnv("REPIN_DATA_DIR", dataDir);
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.unstubAllEnvs();
});

/** Starts Probot's setup mode (no APP_ID) on a free loopback port; `.env` is never written. */
async function startSetup(): Promise<string> {
  const port = await freePort();
  // The server's own options come from this env; the setup page reads process.env like Probot does.
  const env = { PORT: String(port), HOST: "127.0.0.1" };
  servers.push(await run(repinApp, { env, log, updateEnv: (values) => values }));
  return `http://127.0.0.1:${port}`;
}

/** The manifest the "Register GitHub App" button would post, as the browser sees it. */
async function manifestSeenAt(setupUrl: string, publicUrl?: string): Promise<Record<string, unknown>> {
  // Behind a reverse proxy (TLS at the proxy), as a server runs; without one, the page as opened.
  const proxied = publicUrl ? new URL(publicUrl) : null;
  const headers: Record<string, string> = proxied
    ? { "x-forwarded-host": proxied.host, "x-forwarded-proto": proxied.protocol.replace(":", "") }
    : {};
  const response = await fetch(`${setupUrl}/probot`, { headers });
  expect(response.status).toBe(200);
  const html = await response.text();
  const value = /name="manifest" id="manifest" value='([^']*)'/.exec(html)?.[1];
  expect(value, "the setup page carries a manifest").toBeDefined();
  return JSON.parse(value!) as Record<string, unknown>;
}

describe("registering the App through Probot's setup flow", () => {
  it("on a laptop registers the smee.io channel in WEBHOOK_PROXY_URL, and app.yml's permissions", async () => {
    vi.stubEnv("WEBHOOK_PROXY_URL", "https://smee.io/repin-laptop-channel");
    const setup = await startSetup();
    const manifest = await manifestSeenAt(setup);
    expect(manifest.hook_attributes).toEqual({ url: "https://smee.io/repin-laptop-channel" });
    expect(manifest.redirect_url).toBe(`${setup}/probot/setup`);
    expect(manifest.default_permissions).toEqual({
      contents: "write",
      pull_requests: "write",
      issues: "write",
      checks: "write",
      metadata: "read",
      packages: "read",
    });
    expect(manifest.default_events).toContain("registry_package");
    expect(manifest.public).toBe(false);
  });

  it("on a server registers its public URL, and a signed delivery there reaches repin and opens the first PR", async () => {
    vi.stubEnv("NO_SMEE_SETUP", "true");
    const setup = await startSetup();
    const manifest = await manifestSeenAt(setup, "https://repin.example.org");
    const hook = new URL((manifest.hook_attributes as { url: string }).url);
    expect(hook.href, "the public URL the setup page was opened at").toBe("https://repin.example.org/");

    // GitHub's side: the App the manifest created, one installation, a repository pinned to an old digest.
    const registry = await startRegistry();
    cleanups.push(() => registry.stop());
    const sim = await startGitHubSimulator();
    cleanups.push(() => sim.stop());
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    sim.createApp({ appId: 4343, privateKeyPem: privateKey });
    const { id: installationId } = sim.createInstallation({ appId: 4343, account: OWNER });
    const image = `${registry.host}/base`;
    const old = (await pushImage(registry, "base", "1.0", { created: "2024-01-01T00:00:00Z" })).digest;
    await sim.createRepo(OWNER, "svc", { files: { Dockerfile: dockerfile(image, "1.0", old) }, installationId });
    const fresh = (await pushImage(registry, "base", "1.0", { created: "2024-02-01T00:00:00Z" })).digest;

    // The restart with what GitHub returned (Probot writes these to .env).
    const dockerConfig = mkdtempSync(join(tmpdir(), "repin-docker-"));
    cleanups.push(() => rmSync(dockerConfig, { recursive: true, force: true }));
    for (const [name, value] of Object.entries({
      REPIN_SCHEDULE: "off",
      REPIN_ADVISORY_FEEDS: "[]",
      DOCKER_CONFIG: dockerConfig,
      // The operator lists the loopback registry: repository content may not point the App at others.
      REPIN_PRIVATE_REGISTRIES: registry.host,
    }))
      vi.stubEnv(name, value);
    const port = await freePort();
    const env = {
      PORT: String(port),
      HOST: "127.0.0.1",
      APP_ID: "4343",
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: "registered-secret",
      GHE_HOST: sim.host,
      GHE_PROTOCOL: "http",
    };
    // Probot's throttling spaces writes a second apart (GitHub's secondary limit): off, as in the other App tests.
    const Octokit = ProbotOctokit.defaults((instance: Record<string, unknown>) => ({
      ...instance,
      throttle: { ...(instance.throttle as object), enabled: false },
    }));
    servers.push(await run(repinApp, { env, log, Octokit }));

    const body = JSON.stringify(installationPayload(installationId, ["svc"]));
    const headers = {
      "content-type": "application/json",
      "x-github-event": "installation",
      "x-github-delivery": randomUUID(),
    };
    const delivered = `http://127.0.0.1:${port}${hook.pathname}${hook.search}`;
    const forged = await fetch(delivered, {
      method: "POST",
      headers: { ...headers, "x-hub-signature-256": await sign("another-secret", body) },
      body,
    });
    expect(forged.status, "a delivery signed with another secret is refused").toBe(400);
    expect(sim.pulls(OWNER, "svc")).toEqual([]);

    const response = await fetch(delivered, {
      method: "POST",
      headers: { ...headers, "x-hub-signature-256": await sign("registered-secret", body) },
      body,
    });
    expect(response.status).toBe(200);
    const pulls = sim.pulls(OWNER, "svc");
    expect(pulls.map((pull) => pull.title)).toEqual([`Bump ${image}:1.0 digest to ${fresh.slice(7, 19)}`]);
    expect([...sim.unservedRequests()]).toEqual([]);
  });
});
