// /healthz, /readyz and /metrics (SPEC 13) over HTTP on the App's real Probot server, with the
// GitHub simulator and the real registry: each value asserted moves when the thing it counts happens.
import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/app/metrics.js";
import { anonymousKeychain, createAppRegistry, type RegistryViews } from "../../src/registry/index.js";
import { closedPayload, metricValue } from "./support/prometheus.js";
import { dockerfile, OWNER, useWorld } from "../app/support/world.js";

const TOKEN = "ops-registry-events-token";
const world = useWorld({
  registryEvents: { token: TOKEN },
  repin: () => {
    const counted = createMetrics();
    // The world's registry client, counted (made at the first lookup: the world's registry exists by then).
    let views: (() => RegistryViews) | null = null;
    return {
      metrics: counted,
      registry: () =>
        (views ??= createAppRegistry({
          keychain: anonymousKeychain,
          credentialAccounts: [],
          privateRegistries: [world.registry.host],
          retries: 1,
          backoffBaseMs: 1,
          onRequest: counted.registryRequest,
        }))(),
      upstream: { watchIntervalMs: null, feedIntervalMs: null, hintDelayMs: 10 },
    };
  },
});

const base = () => new URL(world.webhookUrl).origin;
const get = (path: string) => fetch(`${base()}${path}`);
const scrape = async () => {
  const response = await get("/metrics");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return response.text();
};

async function repoWithNewDigest(name = "svc"): Promise<void> {
  const old = await world.push("base", "1.0", "2024-01-01T00:00:00Z");
  await world.createRepo(name, { Dockerfile: dockerfile(world.image("base"), "1.0", old) });
  await world.push("base", "1.0", "2024-02-01T00:00:00Z");
}

describe("/healthz and /readyz", () => {
  it("healthz answers while the process serves", async () => {
    const response = await get("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("readyz: ready once GitHub answered; not ready after a failed contact, ready again after a good one", async () => {
    const first = await get("/readyz");
    expect(await first.json()).toEqual({ ready: true, store: "ok", github: "ok" });
    expect(first.status).toBe(200);

    // The cycle's installation listing gets a 500: the last contact with GitHub failed.
    world.sim.injectFault({ method: "GET", path: "/app/installations", status: 500 });
    await expect(world.repin.runCycle()).rejects.toThrow();
    const failed = await get("/readyz");
    expect(failed.status).toBe(503);
    const report = (await failed.json()) as { ready: boolean; github: string };
    expect(report.ready).toBe(false);
    expect(report.github).toMatch(/^last request failed: 500/);

    await world.repin.runCycle();
    expect((await get("/readyz")).status).toBe(200);
  });

  it("readyz: not ready while the store does not answer", async () => {
    await world.repin.runCycle();
    expect((await get("/readyz")).status).toBe(200);
    await world.repin.store.close();
    const response = await get("/readyz");
    expect(response.status).toBe(503);
    const report = (await response.json()) as { store: string; github: string };
    expect(report.store).not.toBe("ok");
    expect(report.github).toBe("ok");
  });

  it("readyz: not ready once stopping", async () => {
    expect((await get("/readyz")).status).toBe(200);
    await world.repin.stop(1_000);
    const response = await get("/readyz");
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ ready: false, stopping: true });
  });
});

describe("/metrics", () => {
  it("counts cycles, GitHub and registry requests, rate limit, PRs opened, updated and merged", async () => {
    await repoWithNewDigest();
    let text = await scrape();
    expect(metricValue(text, "repin_cycles_total", { outcome: "ok" })).toBe(0);
    expect(metricValue(text, "repin_pull_requests_total", { action: "opened" })).toBe(0);

    await world.repin.runCycle();
    text = await scrape();
    expect(metricValue(text, "repin_cycles_total", { outcome: "ok" })).toBe(1);
    expect(metricValue(text, "repin_cycle_duration_seconds_count", {})).toBe(1);
    expect(metricValue(text, "repin_pull_requests_total", { action: "opened" })).toBe(1);
    const requests = world.sim.requests.length;
    const counted =
      (metricValue(text, "repin_github_requests_total", { method: "GET", outcome: "ok" }) ?? 0) +
      (metricValue(text, "repin_github_requests_total", { method: "POST", outcome: "ok" }) ?? 0);
    expect(counted).toBeGreaterThan(0);
    // Every request repin made reached the simulator (token creation goes around the hook).
    expect(counted).toBeLessThanOrEqual(requests);
    const remaining = metricValue(text, "repin_github_rate_limit_remaining", {
      installation: String(world.installationId),
    });
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThan(5000);
    expect(
      metricValue(text, "repin_registry_requests_total", { registry: world.registry.host, outcome: "ok" }),
    ).toBeGreaterThan(0);

    // A newer digest updates the PR.
    await world.push("base", "1.0", "2024-03-01T00:00:00Z");
    await world.repin.runCycle();
    text = await scrape();
    expect(metricValue(text, "repin_pull_requests_total", { action: "updated" })).toBe(1);
    expect(metricValue(text, "repin_cycles_total", { outcome: "ok" })).toBe(2);

    // A person merges it: the pull_request.closed delivery counts it.
    const [pull] = world.sim.pulls(OWNER, "svc");
    await world.sim.mergePull(OWNER, "svc", pull!.number);
    const delivered = await world.deliver("pull_request", closedPayload(world, "svc", pull!, true));
    expect(delivered.status).toBe(200);
    text = await scrape();
    expect(metricValue(text, "repin_pull_requests_total", { action: "merged" })).toBe(1);
  });

  it("a failed cycle counts as failed, and GitHub's 500 as a server error", async () => {
    world.sim.injectFault({ method: "GET", path: "/app/installations", status: 500 });
    await expect(world.repin.runCycle()).rejects.toThrow();
    const text = await scrape();
    expect(metricValue(text, "repin_cycles_total", { outcome: "failed" })).toBe(1);
    expect(metricValue(text, "repin_github_requests_total", { method: "GET", outcome: "server-error" })).toBe(1);
  });

  it("an upstream push: queue depth, job latency and time from the change to its PR", async () => {
    await repoWithNewDigest();
    // The first cycle records who uses base:1.0 and opens the PR; the next push comes as a registry event.
    await world.repin.runCycle();
    let text = await scrape();
    expect(metricValue(text, "repin_upstream_change_to_pr_seconds_count", {})).toBe(0);
    expect(metricValue(text, "repin_queue_depth", {})).toBe(0);

    await world.push("base", "1.0", "2024-03-01T00:00:00Z");
    await until(async () => metricValue(await scrape(), "repin_jobs_total", { outcome: "ok" }) === 1);
    await world.repin.upstream.queue.idle();
    text = await scrape();
    expect(metricValue(text, "repin_upstream_change_to_pr_seconds_count", {})).toBe(1);
    expect(metricValue(text, "repin_job_duration_seconds_count", {})).toBe(1);
    expect(metricValue(text, "repin_job_wait_seconds_count", {})).toBe(1);
    expect(metricValue(text, "repin_pull_requests_total", { action: "updated" })).toBe(1);

    // Work waiting in the queue table (a retry not due yet) is counted.
    await world.repin.store.queue.enqueue({
      installationId: world.installationId,
      owner: OWNER,
      name: "svc",
      reason: "test",
      firstSeenAt: Date.now(),
      notBefore: Date.now() + 3_600_000,
    });
    expect(metricValue(await scrape(), "repin_queue_depth", {})).toBe(1);
  });

  it("each App has its own registry: a second App's metrics start from zero", async () => {
    const one = createMetrics();
    const two = createMetrics();
    one.cycle(1, true);
    expect(metricValue(await one.registry.metrics(), "repin_cycles_total", { outcome: "ok" })).toBe(1);
    expect(metricValue(await two.registry.metrics(), "repin_cycles_total", { outcome: "ok" })).toBe(0);
  });
});

async function until(condition: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
