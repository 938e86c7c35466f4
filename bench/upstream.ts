/**
 * Upstream change → PRs (SPEC 9, 11), against the real docker-registry and the GitHub simulator:
 * 100 repositories (REPIN_BENCH_UPSTREAM_REPOS changes it) pin `base:1`, and every tenth also
 * uses one of ten other tags. A new digest is pushed to `base:1`, and the bench times the push →
 * first PR and → last PR, counts the registry requests repin made for it, and the most GitHub
 * writes in any minute. "Push to PRs": the registry's notifications reach the App's events
 * endpoint (watch loop off), with write pacing on as in production (80 a minute per installation,
 * through the store) and off.
 * "Watch": events off, the watch loop every 5 s.
 *
 * The simulator runs in a child process, as GitHub is another machine: its work (a `git` process
 * per object it writes) is its own, not repin's; the bench prints both processes' CPU time in the
 * window, so repin's share is plain.
 */
import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { createFeedFetcher } from "../src/advisory-feeds/index.js";
import { createRepin, type Repin } from "../src/app/index.js";
import { RepinOctokit } from "../src/app/octokit.js";
import { createAdvisoryStore } from "../src/explain/index.js";
import { anonymousKeychain, createAppRegistry } from "../src/registry/index.js";
import { startSimulatorProcess, type SimulatorProcess } from "../test/support/github/process.js";
import { pushImage } from "../test/support/registry/push.js";
import { freePort, startRegistry, type LoggedRequest, type TestRegistry } from "../test/support/registry/registry.js";
import { atMost, type Figures } from "./budget.js";
import { APP_ID, appKeyPair } from "./support.js";

const OWNER = "bench";
const OTHER_TAGS = 10;
/** SPEC 9: about 80 content-creating requests a minute, shared by every replica. */
const WRITES_PER_MINUTE = 80;

interface Scenario {
  readonly events: boolean;
  readonly throttle: boolean;
  /** Seconds between watch ticks; null: no watch loop. */
  readonly watchInterval: number | null;
}

interface Setup {
  readonly registry: TestRegistry;
  readonly sim: SimulatorProcess;
  readonly repin: Repin;
  readonly repos: number;
  stop(): Promise<void>;
}

async function setUp(scenario: Scenario): Promise<Setup> {
  const repos = Number(process.env.REPIN_BENCH_UPSTREAM_REPOS ?? 100);
  const token = randomUUID();
  const appPort = await freePort();
  const registry = await startRegistry(
    scenario.events ? { notify: { url: `http://127.0.0.1:${appPort}/api/repin/registry-events`, token } } : {},
  );
  const sim = await startSimulatorProcess({ validate: false });
  const { privateKey, publicKey } = appKeyPair();
  await sim.call("createApp", { appId: APP_ID, publicKey });
  const { id: installationId } = await sim.call("createInstallation", { appId: APP_ID, account: OWNER });
  const base = (await pushImage(registry, "base", "1", { created: "2026-01-01T00:00:00Z" })).digest;
  const others: string[] = [];
  for (let i = 0; i < OTHER_TAGS; i++) others.push((await pushImage(registry, `other${i}`, "latest")).digest);
  const seeded = Array.from({ length: repos }, (_, r) => {
    const other =
      r % 10 === 0
        ? `FROM ${registry.host}/other${(r / 10) % OTHER_TAGS}:latest@${others[(r / 10) % OTHER_TAGS]} AS tools\n`
        : "";
    return { name: `repo${r}`, files: { Dockerfile: `${other}FROM ${registry.host}/base:1@${base}\nRUN true\n` } };
  });
  await sim.call("seed", { owner: OWNER, installationId, repos: seeded });
  const log = pino({ level: "silent" });
  // Production's Octokit (src/app/octokit.ts) and write pacing through the store; off, the figure is repin's own latency.
  const Octokit = scenario.throttle
    ? RepinOctokit
    : ProbotOctokit.defaults((instance: Record<string, unknown>) => ({
        ...instance,
        throttle: { ...(instance.throttle as object), enabled: false },
      }));
  const repin = createRepin({
    schedule: null,
    registry: createAppRegistry({
      keychain: anonymousKeychain,
      credentialAccounts: [],
      privateRegistries: [registry.host],
    }),
    advisories: createAdvisoryStore({ feeds: [], fetcher: createFeedFetcher() }),
    privateKey,
    writesPerMinute: scenario.throttle ? WRITES_PER_MINUTE : null,
    ...(scenario.events && { registryEventsToken: token }),
    upstream: {
      watchIntervalMs: scenario.watchInterval === null ? null : scenario.watchInterval * 1000,
      feedIntervalMs: null,
      // Jobs write in start order where GitHub paces writes; unpaced, that would only serialize them.
      orderedWrites: scenario.throttle,
    },
  });
  const server = new Server({
    host: "127.0.0.1",
    port: appPort,
    log,
    Probot: Probot.defaults({ appId: APP_ID, privateKey, baseUrl: sim.url, Octokit, log }),
  });
  await server.load(repin.app);
  await server.start();
  return {
    registry,
    sim,
    repin,
    repos,
    async stop() {
      await repin.stop();
      await server.stop();
      await sim.stop();
      await registry.stop();
    },
  };
}

interface Run {
  readonly firstMs: number;
  readonly lastMs: number;
  readonly prs: number;
  readonly writesPerMinute: number;
  readonly writes: number;
  /** CPU time (user + system) in the window: repin's process (with the bench's polling), the simulator's (not its git processes). */
  readonly repinCpuMs: number;
  readonly simulatorCpuMs: number;
  readonly pushed: string;
  /** repin's registry requests after the push (the pusher only POSTs and PUTs). */
  readonly requests: readonly LoggedRequest[];
}

/** Pushes a new digest to base:1 and waits until every repository has its PR (or `timeoutMs` passes). */
async function pushAndWait(setup: Setup, timeoutMs: number): Promise<Run> {
  const { registry, sim, repos } = setup;
  await registry.settle();
  const before = registry.requests().length;
  await sim.call("resetLog");
  const names = Array.from({ length: repos }, (_, r) => `repo${r}`);
  const simulatorCpu = (await sim.call("counters")).cpuMs;
  const cpu = process.cpuUsage();
  // The clock starts before the push: its upload time counts against repin, never for it.
  const start = performance.now();
  const pushed = await pushImage(registry, "base", "1", { created: "2026-02-01T00:00:00Z" });
  const samples: { at: number; writes: number }[] = [];
  let firstMs = -1;
  let prs = 0;
  while (prs < repos && performance.now() - start < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { counts } = await sim.call("pullCounts", { owner: OWNER, names });
    prs = counts.filter((n) => n > 0).length;
    if (prs > 0 && firstMs < 0) firstMs = performance.now() - start;
    samples.push({ at: performance.now(), writes: (await sim.call("counters")).writes });
  }
  const lastMs = prs === repos ? performance.now() - start : -1;
  const used = process.cpuUsage(cpu);
  const counters = await sim.call("counters");
  await registry.settle();
  const requests = registry
    .requests()
    .slice(before)
    .filter((r) => r.method === "GET" || r.method === "HEAD");
  return {
    firstMs: Math.round(firstMs),
    lastMs: Math.round(lastMs),
    prs,
    writesPerMinute: busiestMinute(samples),
    writes: counters.writes,
    repinCpuMs: Math.round((used.user + used.system) / 1000),
    simulatorCpuMs: counters.cpuMs - simulatorCpu,
    pushed: pushed.digest,
    requests,
  };
}

/** The most writes in any 60 s window of the samples (all of them when the run was shorter). */
function busiestMinute(samples: readonly { at: number; writes: number }[]): number {
  let most = 0;
  let from = 0;
  for (const sample of samples) {
    while (samples[from]!.at < sample.at - 60_000) from++;
    most = Math.max(most, sample.writes - (from === 0 ? 0 : samples[from - 1]!.writes));
  }
  return most;
}

/**
 * Registry cost of the push (SPEC 9: one HEAD for the tag, the new manifest once, what the PR body
 * needs once): HEADs of the tag, GETs of the new manifest, and paths asked more than once.
 */
function registryCost(prefix: string, run: Run): Figures {
  const base = run.requests.filter((r) => r.path.startsWith("/v2/base/"));
  const counts = new Map<string, number>();
  for (const r of base) counts.set(`${r.method} ${r.path}`, (counts.get(`${r.method} ${r.path}`) ?? 0) + 1);
  const count = (method: string, path: string) => counts.get(`${method} ${path}`) ?? 0;
  return {
    [`${prefix}.registry_head_tag`]: atMost(count("HEAD", "/v2/base/manifests/1"), 1),
    [`${prefix}.registry_new_manifest_gets`]: atMost(
      count("GET", `/v2/base/manifests/${run.pushed}`) + count("GET", "/v2/base/manifests/1"),
      1,
    ),
    [`${prefix}.registry_requests_for_the_image`]: base.length,
    [`${prefix}.registry_paths_asked_more_than_once`]: atMost([...counts.values()].filter((n) => n > 1).length, 0),
    [`${prefix}.registry_repeats`]:
      [...counts]
        .filter(([, n]) => n > 1)
        .map(([path, n]) => `${path.replace(/sha256:(\w{12})\w+/, "sha256:$1…")} ×${n}`)
        .join(", ") || "none",
    [`${prefix}.registry_requests_other_tags`]: run.requests.length - base.length,
  };
}

/** Scans every repository once, so the reverse index knows who uses base:1. */
async function index(setup: Setup): Promise<void> {
  const report = await setup.repin.runCycle();
  const failed = report.outcomes.filter((outcome) => outcome.kind === "failed").length;
  if (failed > 0) throw new Error(`${failed} repositories failed the first cycle`);
}

/** Push → PRs through the registry's notifications; `throttle`: write pacing as in production. */
export async function benchPushToPrs(throttle: boolean): Promise<Figures> {
  const prefix = throttle ? "events.throttled" : "events.unthrottled";
  const setup = await setUp({ events: true, throttle, watchInterval: null });
  try {
    await index(setup);
    const run = await pushAndWait(setup, throttle ? 20 * 60_000 : 300_000);
    return {
      [`${prefix}.repositories`]: setup.repos,
      [`${prefix}.push_to_first_pr_ms`]: atMost(run.firstMs < 0 ? Infinity : run.firstMs, 5_000),
      // Throttled, the last PR comes at GitHub's pace (judged by the writes per minute below).
      [`${prefix}.push_to_last_pr_ms`]: throttle ? run.lastMs : atMost(run.lastMs < 0 ? Infinity : run.lastMs, 10_000),
      [`${prefix}.repositories_without_pr`]: atMost(setup.repos - run.prs, 0),
      [`${prefix}.github_writes`]: run.writes,
      [`${prefix}.repin_process_cpu_ms (window)`]: run.repinCpuMs,
      [`${prefix}.simulator_process_cpu_ms (window)`]: run.simulatorCpuMs,
      [`${prefix}.github_writes_busiest_minute`]: throttle
        ? atMost(run.writesPerMinute, WRITES_PER_MINUTE)
        : run.writesPerMinute,
      ...registryCost(prefix, run),
    };
  } finally {
    await setup.stop();
  }
}

export async function benchWatch(): Promise<Figures> {
  const interval = 5;
  const setup = await setUp({ events: false, throttle: false, watchInterval: interval });
  try {
    await index(setup);
    // One tick by hand: its HEADs, against the unique tags the repositories use.
    await setup.registry.settle();
    const before = setup.registry.requests().length;
    await setup.repin.upstream.watcher.tick();
    await setup.registry.settle();
    const heads = setup.registry
      .requests()
      .slice(before)
      .filter((r) => r.method === "HEAD").length;
    const run = await pushAndWait(setup, 300_000);
    return {
      "watch.interval_s": interval,
      "watch.unique_watched_tags": OTHER_TAGS + 1,
      "watch.heads_per_tick": atMost(heads, OTHER_TAGS + 1),
      "watch.push_to_first_pr_ms": atMost(run.firstMs < 0 ? Infinity : run.firstMs, (interval + 5) * 1000),
      "watch.push_to_last_pr_ms": run.lastMs < 0 ? "not all" : run.lastMs,
      "watch.repositories_without_pr": atMost(setup.repos - run.prs, 0),
    };
  } finally {
    await setup.stop();
  }
}
