import { afterEach, describe, expect, it } from "vitest";
import { anonymousKeychain, createAppRegistry, staticKeychain } from "../../src/registry/index.js";
import {
  pushImage,
  startFaultProxy,
  startRegistry,
  startScriptedServer,
  startSilentServer,
  type FaultProxy,
  type ScriptedServer,
  type SilentServer,
  type TestRegistry,
} from "../support/registry/index.js";
import { APP_ID, dashboardOf, dockerfile, OWNER, startWorld, type World } from "./support/world.js";

// What repository content may make the App do with registries (SPEC 10; issue 10 items 16, 17, 19).
let world: World | undefined;
const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await world?.stop();
  world = undefined;
  for (const stop of stops.splice(0)) await stop();
});

const open = (w: World, owner: string, repo: string) =>
  w.sim.pulls(owner, repo).filter((pull) => pull.state === "open");
const MISSING = `sha256:${"1".repeat(64)}`;

describe("SSRF from repository content", () => {
  it("never sends a request to an unlisted loopback port, named directly or through registryMap, nor publishes its text", async () => {
    // An internal service on loopback that would answer with text worth stealing.
    const internal: ScriptedServer = await startScriptedServer((_req, res) => {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [{ code: "NAME_UNKNOWN", message: "INTERNAL-SECRET-TEXT" }] }));
    });
    stops.push(() => internal.stop());
    world = await startWorld();
    const w = world;
    const old = await w.push("base", "latest", "2024-01-01T00:00:00Z");
    await w.createRepo("svc", {
      Dockerfile: dockerfile(w.image("base"), "latest", old),
      "direct.Dockerfile": dockerfile(`${internal.host}/admin`, "1.0", MISSING),
      "mapped.Dockerfile": dockerfile("mirror.corp/hub/tool", "1.0", MISSING),
      ".github/repin.yml": `registryMap:\n  mirror.corp/hub: ${internal.host}\n`,
    });
    await w.push("base", "latest", "2024-02-01T00:00:00Z");
    await w.repin.runCycle();

    expect(internal.requests()).toEqual([]);
    const body = dashboardOf(w, "svc")!.body!;
    expect(body).toMatch(/`direct\.Dockerfile` .* internal address/);
    expect(body).toMatch(/`mapped\.Dockerfile` .* internal address/);
    expect(body).not.toContain("INTERNAL-SECRET-TEXT");
    // The listed registry is served as before.
    expect(open(w, OWNER, "svc")).toHaveLength(1);
  });
});

describe("registry credentials are scoped to the accounts the operator named", () => {
  it("another installation gets a skip and sends no credential; the named account gets its PR", async () => {
    const privateRegistry: TestRegistry = await startRegistry({ auth: "basic" });
    const proxy: FaultProxy = await startFaultProxy(privateRegistry.url);
    stops.push(
      () => proxy.stop(),
      () => privateRegistry.stop(),
    );
    const old = (await pushImage(privateRegistry, "internal/payments", "1.0", { created: "2024-01-01T00:00:00Z" }))
      .digest;
    const registry = createAppRegistry({
      keychain: staticKeychain({ [proxy.host]: { kind: "basic", ...privateRegistry.credentials! } }),
      credentialAccounts: [OWNER],
      privateRegistries: [proxy.host],
      retries: 0,
    });
    world = await startWorld({ repin: () => ({ registry }) });
    const w = world;
    const other = w.sim.createInstallation({ appId: APP_ID, account: "mallory" });
    const files = { Dockerfile: dockerfile(`${proxy.host}/internal/payments`, "1.0", old) };
    await w.sim.createRepo("mallory", "shop", { files, installationId: other.id });
    await pushImage(privateRegistry, "internal/payments", "1.0", { created: "2024-02-01T00:00:00Z" });

    // mallory's installation alone first: nothing it causes carries a credential.
    await w.repin.runCycle();
    expect(proxy.requests().length).toBeGreaterThan(0);
    expect(proxy.requests().filter((request) => request.authorization)).toEqual([]);
    expect(open(w, "mallory", "shop")).toHaveLength(0);
    const shopDashboard = w.sim.issues("mallory", "shop").find((issue) => issue.title === "repin dashboard");
    expect(shopDashboard?.body ?? "").toMatch(/401 unauthorized/);

    // Then acme's repository too, in the same cycle as mallory's: acme's answer does not reach mallory.
    await w.createRepo("billing", files);
    await w.repin.runCycle();
    expect(open(w, OWNER, "billing")).toHaveLength(1);
    expect(open(w, "mallory", "shop")).toHaveLength(0);
    expect(proxy.requests().some((request) => request.authScheme === "Basic")).toBe(true);
  });
});

describe("a registry that accepts connections and never answers", () => {
  it("is asked for one reference per cycle; its other references are skipped and other repositories get their PRs", async () => {
    const silent: SilentServer = await startSilentServer();
    stops.push(() => silent.stop());
    const asked: string[] = [];
    world = await startWorld({
      repin: () => ({
        registry: createAppRegistry({
          keychain: anonymousKeychain,
          credentialAccounts: [],
          // Every loopback port: the world's registry and the silent host.
          privateRegistries: ["127.0.0.1"],
          timeoutMs: 300,
          retries: 1,
          backoffBaseMs: 1,
          onRequest: (info) => {
            if (info.url.includes(silent.host)) asked.push(info.url);
          },
        }),
      }),
    });
    const w = world;
    const old = await w.push("base", "latest", "2024-01-01T00:00:00Z");
    await w.createRepo("good", { Dockerfile: dockerfile(w.image("base"), "latest", old) });
    for (const name of ["hung-a", "hung-b"]) {
      await w.createRepo(name, {
        Dockerfile: dockerfile(`${silent.host}/one`, "1.0", MISSING),
        "two.Dockerfile": dockerfile(`${silent.host}/two`, "2.0", MISSING),
      });
    }
    await w.push("base", "latest", "2024-02-01T00:00:00Z");
    await w.repin.runCycle();

    // One operation's attempts (a try and one retry) for four references in two repositories: the
    // silent host saw two connections, each with one request, not one per reference.
    expect(asked).toHaveLength(2);
    expect([silent.connections(), silent.requests()]).toEqual([2, 2]);
    expect(open(w, OWNER, "good")).toHaveLength(1);
    for (const name of ["hung-a", "hung-b"]) {
      expect(dashboardOf(w, name)!.body!).toContain("was not asked again in this run");
    }
    // The next cycle asks again (the host may be back), once.
    asked.length = 0;
    await w.repin.runCycle();
    expect(asked).toHaveLength(2);
  });
});
