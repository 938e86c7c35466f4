// Restart without amnesia (issue 11 item 8, SPEC 12), with a real process restart: the App runs as
// its own OS process on a REPIN_DATA_DIR, is stopped, and a new process starts on the same directory.
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startGitHubSimulator, type GitHubSimulator } from "../support/github/index.js";
import { pushImage } from "../support/registry/push.js";
import { freePort, startRegistry, type TestRegistry } from "../support/registry/registry.js";
import { startAppProcess, type AppProcess } from "./support/app-process-runner.js";

const APP = 5151;
const OWNER = "acme";
let sim: GitHubSimulator;
let registry: TestRegistry;
let dataDir: string;
const running: AppProcess[] = [];

afterEach(async () => {
  for (const app of running.splice(0)) await app.stop();
  await sim?.stop();
  await registry?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("a restart on the same REPIN_DATA_DIR", () => {
  it("costs what a steady cycle costs, keeps minimumAge clocks, and dispatches a tag that moved while down", async () => {
    registry = await startRegistry();
    sim = await startGitHubSimulator();
    dataDir = mkdtempSync(join(tmpdir(), "repin-restart-"));
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    sim.createApp({ appId: APP, privateKeyPem: privateKey });
    const { id: installationId } = sim.createInstallation({ appId: APP, account: OWNER });
    const image = (name: string) => `${registry.host}/${name}`;
    const base = (await pushImage(registry, "base", "1.0", { created: "2024-01-01T00:00:00Z" })).digest;
    const slowOld = (await pushImage(registry, "slow", "1", { created: "2024-01-01T00:00:00Z" })).digest;
    await pushImage(registry, "slow", "1", { created: "2024-02-01T00:00:00Z" });
    await pushImage(registry, "float", "latest", { created: "2024-01-01T00:00:00Z" });
    const repo = (name: string, files: Record<string, string>) =>
      sim.createRepo(OWNER, name, { files, installationId });
    for (const name of ["steady1", "steady2"])
      await repo(name, { Dockerfile: `FROM ${image("base")}:1.0@${base}\nRUN true\n` });
    // A newer digest held back by minimumAge: its clock must not restart.
    await repo("aged", {
      Dockerfile: `FROM ${image("slow")}:1@${slowOld}\n`,
      ".github/repin.yml": "minimumAge: 30d\n",
    });
    // A floating tag with rebuild dispatch: a move while repin is down must still be dispatched.
    await repo("floating", {
      Dockerfile: `FROM ${image("float")}:latest\n`,
      ".github/repin.yml": "pin: false\nrebuild:\n  dispatch: true\n",
    });

    const env = {
      APP_ID: String(APP),
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: "restart-secret",
      HOST: "127.0.0.1",
      GHE_HOST: sim.host,
      GHE_PROTOCOL: "http",
      REPIN_DATA_DIR: dataDir,
      REPIN_SCHEDULE: "*/2 * * * * *",
      REPIN_WATCH_INTERVAL: "off",
      REPIN_FEED_INTERVAL: "off",
      REPIN_ADVISORY_FEEDS: "[]",
      REPIN_PRIVATE_REGISTRIES: registry.host,
      REPIN_INSECURE_REGISTRIES: registry.host,
      npm_lifecycle_event: "test",
    };
    const start = async () => {
      const app = startAppProcess({ ...env, PORT: String(await freePort()) });
      running.push(app);
      return app;
    };

    const first = await start();
    await first.cycles(2);
    await first.stop();
    const held = dashboardLine(sim, "aged");
    expect(held).toMatch(/held by minimumAge until (\S+)/);
    expect(sim.dispatches()).toHaveLength(0);

    const moved = (await pushImage(registry, "float", "latest", { created: "2024-03-01T00:00:00Z" })).digest;
    sim.resetLog();
    const second = await start();
    await second.cycles(1);
    await second.stop();

    // The first cycle after the restart: every request up to the next cycle's installation listing.
    const listings = sim.requests.flatMap((request, i) => (request.path.startsWith("/app/installations") ? [i] : []));
    const cycle = sim.requests.slice(0, listings[1] ?? sim.requests.length);
    for (const name of ["steady1", "steady2", "aged"]) {
      const own = cycle.filter((request) => request.path.startsWith(`/repos/${OWNER}/${name}/`));
      const limited = own.filter((request) => request.rateLimited).map((r) => `${r.method} ${r.path} ${r.status}`);
      expect(limited.length, `${name}: ${limited.join(", ")}`).toBeLessThanOrEqual(1);
    }
    expect(dashboardLine(sim, "aged")).toBe(held);
    expect(sim.pulls(OWNER, "aged")).toHaveLength(0);
    expect(sim.dispatches()).toMatchObject([{ repo: "floating", clientPayload: { digest: moved } }]);
    expect(sim.unservedRequests()).toEqual([]);
    // Two App processes start (each compiles the App through tsx) and run three cycles between them.
  }, 300_000);
});

/** The dashboard's line for the held reference (it carries the minimumAge deadline). */
function dashboardLine(sim: GitHubSimulator, repo: string): string {
  const body = sim.issues(OWNER, repo).find((issue) => issue.title === "repin dashboard")?.body ?? "";
  return body.split("\n").find((line) => line.includes("minimumAge")) ?? "";
}
