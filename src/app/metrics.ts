/**
 * What `/metrics` shows (SPEC 13), in a prom-client registry of the App's own (not the global one,
 * so several Apps in one process keep their counts apart): cycles and their duration, registry
 * requests by registry and outcome, GitHub requests and rate-limit remaining, queue depth and job
 * latency, PRs opened / updated / closed / merged, and the time from an upstream change to its PR.
 */
import type { Probot } from "probot";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { RepoOutcome } from "../github/index.js";
import { BRANCH_PREFIX } from "../proposals/index.js";
import { latencyBucketsMs, type LatencyRecorder } from "../queue/index.js";
import type { RequestInfo } from "../registry/index.js";

export interface RepinMetrics {
  readonly registry: Registry;
  cycle(seconds: number, ok: boolean): void;
  /** The registry client's `onRequest`. */
  readonly registryRequest: (info: RequestInfo) => void;
  /** One GitHub exchange: its status (null: no answer) and the rate limit it reported. */
  githubRequest(exchange: GitHubExchange): void;
  /** PRs a repository's scan opened, updated and closed. */
  outcome(outcome: RepoOutcome): void;
  merged(): void;
  /** A queued job: how long it waited since the upstream change, how long it ran, and how it ended. */
  job(timing: { readonly waitedMs: number; readonly ranMs: number; readonly ok: boolean }): void;
  /** Upstream change → PR, in ms (the queue's LatencyRecorder feeds it). */
  upstreamToPr(ms: number): void;
  /** How many repositories are queued, read when /metrics is asked. */
  queueDepth(read: () => Promise<number>): void;
}

export interface GitHubExchange {
  readonly method: string;
  readonly status: number | null;
  readonly installation: number | null;
  /** `x-ratelimit-remaining`, when GitHub sent it. */
  readonly remaining: number | null;
}

const seconds = (ms: number): number => ms / 1000;

export function createMetrics(): RepinMetrics {
  const registry = new Registry();
  const registers = [registry];
  const cycles = new Counter({
    name: "repin_cycles_total",
    help: "Scheduled cycles, by outcome",
    labelNames: ["outcome"],
    registers,
  });
  const cycleSeconds = new Histogram({
    name: "repin_cycle_duration_seconds",
    help: "Duration of scheduled cycles",
    buckets: [1, 5, 15, 60, 300, 900, 3600],
    registers,
  });
  const registryRequests = new Counter({
    name: "repin_registry_requests_total",
    help: "HTTP requests to container registries, by registry host and outcome",
    labelNames: ["registry", "outcome"],
    registers,
  });
  const githubRequests = new Counter({
    name: "repin_github_requests_total",
    help: "Requests to GitHub's API, by method and outcome",
    labelNames: ["method", "outcome"],
    registers,
  });
  const rateLimit = new Gauge({
    name: "repin_github_rate_limit_remaining",
    help: "x-ratelimit-remaining GitHub last reported, by installation (app: the App's own)",
    labelNames: ["installation"],
    registers,
  });
  const pulls = new Counter({
    name: "repin_pull_requests_total",
    help: "repin's PRs opened, updated, closed (by repin) and merged (by people)",
    labelNames: ["action"],
    registers,
  });
  const jobs = new Counter({
    name: "repin_jobs_total",
    help: "Queued jobs run, by outcome",
    labelNames: ["outcome"],
    registers,
  });
  const jobWait = new Histogram({
    name: "repin_job_wait_seconds",
    help: "From the upstream change that queued a repository to the start of its job",
    buckets: [0.1, 1, 5, 15, 60, 300, 3600],
    registers,
  });
  const jobRun = new Histogram({
    name: "repin_job_duration_seconds",
    help: "How long queued jobs ran",
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300],
    registers,
  });
  const upstream = new Histogram({
    name: "repin_upstream_change_to_pr_seconds",
    help: "From repin first seeing an upstream change (event, watch tick, feed) to each PR it caused",
    buckets: latencyBucketsMs.map(seconds),
    registers,
  });
  let depth: (() => Promise<number>) | null = null;
  new Gauge({
    name: "repin_queue_depth",
    help: "Repositories queued (waiting, retrying or running)",
    registers,
    async collect() {
      if (depth) this.set(await depth());
    },
  });
  new Gauge({
    name: "repin_process_resident_memory_bytes",
    help: "Resident memory of this process",
    registers,
    collect() {
      this.set(process.memoryUsage().rss);
    },
  });
  for (const action of ["opened", "updated", "closed", "merged"]) pulls.inc({ action }, 0);
  for (const outcome of ["ok", "failed"]) cycles.inc({ outcome }, 0);

  return {
    registry,
    cycle(duration, ok) {
      cycles.inc({ outcome: ok ? "ok" : "failed" });
      cycleSeconds.observe(duration);
    },
    registryRequest(info) {
      registryRequests.inc({ registry: hostOf(info.url), outcome: registryOutcome(info.status) });
    },
    githubRequest(exchange) {
      githubRequests.inc({ method: exchange.method, outcome: githubOutcome(exchange.status) });
      if (exchange.remaining !== null)
        rateLimit.set(
          { installation: exchange.installation === null ? "app" : String(exchange.installation) },
          exchange.remaining,
        );
    },
    outcome(outcome) {
      if (outcome.kind !== "reconciled" && outcome.kind !== "outside-schedule") return;
      pulls.inc({ action: "opened" }, outcome.report.created.length);
      pulls.inc({ action: "updated" }, outcome.report.updated.length);
      pulls.inc({ action: "closed" }, outcome.report.closed.length);
    },
    merged: () => pulls.inc({ action: "merged" }),
    job({ waitedMs, ranMs, ok }) {
      jobs.inc({ outcome: ok ? "ok" : "failed" });
      jobWait.observe(seconds(Math.max(0, waitedMs)));
      jobRun.observe(seconds(ranMs));
    },
    upstreamToPr: (ms) => upstream.observe(seconds(Math.max(0, ms))),
    queueDepth(read) {
      depth = read;
    },
  };
}

/** The recorder the queue writes upstream → PR times to, also feeding the metric. */
export function observedLatency(recorder: LatencyRecorder, metrics: RepinMetrics): LatencyRecorder {
  return {
    record(ms) {
      recorder.record(ms);
      metrics.upstreamToPr(ms);
    },
    snapshot: () => recorder.snapshot(),
  };
}

/** The host a (redacted) registry URL names; `unknown` if it does not parse. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "unknown";
  }
}

/** A registry answer in a few words: no answer, ok, not modified, challenge, not found, rate limited, error. */
export function registryOutcome(status: number | null): string {
  if (status === null) return "no-answer";
  if (status === 304) return "not-modified";
  if (status === 401) return "challenge";
  if (status === 404) return "not-found";
  if (status === 429) return "rate-limited";
  if (status >= 500) return "server-error";
  if (status >= 400) return "client-error";
  return "ok";
}

export function githubOutcome(status: number | null): string {
  if (status === null) return "no-answer";
  if (status === 304) return "not-modified";
  if (status === 403 || status === 429) return "refused-or-limited";
  if (status >= 500) return "server-error";
  if (status >= 400) return "client-error";
  return "ok";
}

/** Merges of repin's PRs (people merge them): counted from `pull_request.closed` with `merged` on a repin branch. */
export function countMerges(app: Probot, metrics: RepinMetrics): void {
  app.on("pull_request.closed", async (context) => {
    const pull = context.payload.pull_request;
    if (pull.merged && pull.head.ref.startsWith(BRANCH_PREFIX)) metrics.merged();
  });
}
