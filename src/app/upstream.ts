import type { Probot } from "probot";
import {
  processRepository,
  type GitHubClient,
  type Log,
  type RepoDeps,
  type RepoOutcome,
  type RepoTarget,
} from "../github/index.js";
import {
  createWorkQueue,
  createWriteTurns,
  freeWrites,
  type LatencyRecorder,
  type RepoJob,
  type Serial,
  type WorkQueue,
  type WriteTurn,
} from "../queue/index.js";
import { localSingleton, type Singleton } from "../queue/pg-locks.js";
import type { RegistryViews } from "../registry/index.js";
import type { Store } from "../store/index.js";
import type { Backend } from "./backend.js";
import type { RepinMetrics } from "./metrics.js";
import { shareViews } from "./shared-views.js";
import {
  createFeedWatch,
  createWatcher,
  startClock,
  startWatchLoop,
  type Clock,
  type FeedReport,
  type FeedSource,
  type Watcher,
} from "../watch/index.js";

/**
 * Upstream work for the App (SPEC 11): the work queue over the store's table, the watch loop, the
 * advisory-feed clock, and what a queued repository costs: one `processRepository` under the
 * repository's lock, with the time from the change's first sighting to each PR it wrote recorded.
 */
export interface UpstreamSettings {
  /** null: no watch loop (hints still work). */
  readonly watchIntervalMs: number | null;
  /** null: feeds only refreshed by the cycle and the first webhook. */
  readonly feedIntervalMs: number | null;
  /** Repositories worked on at once by the queue (default 4). */
  readonly concurrency?: number;
  /** Hints for one tag within this window are one check (default 200 ms). */
  readonly hintDelayMs?: number;
  /**
   * Whether queued jobs write in the order they started (default true): while GitHub paces writes
   * (Probot's throttling, as in production) the first PR then comes first at no cost to the rest;
   * an App whose client does not pace writes sets false, or its writes would only be serialized.
   */
  readonly orderedWrites?: boolean;
}

export interface Upstream {
  readonly queue: WorkQueue;
  readonly watcher: Watcher;
  /** The feed clock's look (null when the clock is off): refresh, and queue on news. */
  readonly feeds: { tick(): Promise<FeedReport> } | null;
  stop(): Promise<void>;
}

export interface UpstreamDeps {
  readonly probot: Probot;
  readonly store: Store;
  readonly registry: () => RegistryViews;
  readonly exclusive: Serial;
  readonly feeds: FeedSource;
  readonly latency: LatencyRecorder;
  /** Job counts and times (optional: tests of the queue alone go without). */
  readonly metrics?: RepinMetrics;
  /** Hears each job's outcome (PRs counted, registry failures logged). */
  readonly onOutcome?: (outcome: RepoOutcome) => void;
  /** Everything a repository scan needs but the registry view (see RepoDeps). */
  readonly repoDeps: Omit<RepoDeps, "registry" | "log" | "store">;
  /** Waits for the first advisory refresh (explanations need it). */
  readonly ready: () => Promise<void>;
  readonly installation: (id: number) => Promise<GitHubClient>;
  /** The backend's queue (backend.ts); default the embedded one over the store's table. */
  readonly queue?: Backend["queue"];
  /** Runs the watch tick and feed polls on one replica per tick; default: here, every tick. */
  readonly singleton?: Singleton;
}

export async function startUpstream(deps: UpstreamDeps, settings: UpstreamSettings): Promise<Upstream> {
  const { probot, store } = deps;
  const log = probot.log;
  const spec = {
    run: (job: RepoJob, turn: WriteTurn) => timed(deps.metrics, job, () => runJob(deps, views.current, job, turn)),
    writeTurns: settings.orderedWrites === false ? freeWrites : createWriteTurns(),
    ...(settings.concurrency !== undefined && { concurrency: settings.concurrency }),
    log,
  };
  const queue = deps.queue?.(spec) ?? createWorkQueue({ table: store.queue, exclusive: deps.exclusive, ...spec });
  const once = deps.singleton ?? localSingleton;
  const enqueue = (job: RepoJob) => queue.enqueue(job);
  const views = shareViews(deps.registry);
  const watcher = createWatcher({
    index: store.usages,
    registry: deps.registry,
    enqueue,
    log,
    onMove: views.adopt,
    ...(settings.hintDelayMs !== undefined && { hintDelayMs: settings.hintDelayMs }),
  });
  await queue.start();
  const clocks: Clock[] = [];
  // The store keeps what no one reads again only until the next upkeep: at start, then hourly (one replica).
  const upkeep = () =>
    once({ name: "upkeep", periodMs: UPKEEP_INTERVAL_MS }, () => pruneStore(store, log)).then(() => undefined);
  void upkeep().catch((error: unknown) => log.warn({ error: String(error) }, "store: upkeep failed"));
  clocks.push(startClock("store upkeep", UPKEEP_INTERVAL_MS, upkeep, log));
  const watchMs = settings.watchIntervalMs;
  if (watchMs !== null) clocks.push(startWatchLoop(oneReplicaTicks(watcher, watchMs, once), watchMs, log));
  let feeds: Upstream["feeds"] = null;
  if (settings.feedIntervalMs !== null) {
    const look = createFeedWatch({ feeds: deps.feeds, index: store.usages, enqueue, log });
    feeds = look;
    // The first look is the baseline, taken now; the clock then looks every interval.
    await look
      .tick()
      .catch((error: unknown) => log.warn({ error: String(error) }, "advisory feeds: first look failed"));
    const feedMs = settings.feedIntervalMs;
    const poll = () => once({ name: "feeds", periodMs: feedMs }, () => look.tick().then(() => undefined));
    clocks.push(startClock("advisory feeds", feedMs, () => poll().then(() => undefined), log));
  }
  return {
    queue,
    watcher,
    feeds,
    async stop() {
      for (const clock of clocks) clock.stop();
      await queue.stop();
    },
  };
}

/** The watcher whose ticks run on one replica per tick (a tick left to another reports nothing moved here). */
function oneReplicaTicks(watcher: Watcher, periodMs: number, once: Singleton): Watcher {
  return {
    ...watcher,
    async tick() {
      let report: Awaited<ReturnType<Watcher["tick"]>> | null = null;
      await once({ name: "watch", periodMs }, async () => {
        report = await watcher.tick();
      });
      return report ?? EMPTY_TICK;
    },
  };
}

const EMPTY_TICK = { tags: 0, asked: 0, moved: 0, failed: 0, paused: [] };
const UPKEEP_INTERVAL_MS = 3_600_000;

/** Drops digests of tags no repository uses and expired recent keys; a failure is logged and tried next time. */
export async function pruneStore(store: Store, log: Log): Promise<void> {
  try {
    const pruned = await store.prune(Date.now());
    if (pruned.tagDigests + pruned.recentKeys > 0) log.debug({ ...pruned }, "store: pruned");
  } catch (error) {
    log.warn({ error: String(error) }, "store: pruning failed; it runs again next time");
  }
}

/** One queued repository: scanned like a webhook's, writing in its turn, its failure thrown so the queue retries it. */
async function runJob(
  deps: UpstreamDeps,
  views: (job: RepoJob) => RegistryViews,
  job: RepoJob,
  turn: WriteTurn,
): Promise<void> {
  const log = deps.probot.log;
  await deps.ready();
  const target: RepoTarget = {
    installationId: job.installationId,
    owner: job.owner,
    name: job.repo,
    defaultBranch: null,
  };
  const client = inTurn(await deps.installation(job.installationId), turn);
  const outcome = await processRepository(client, target, {
    ...deps.repoDeps,
    store: deps.store,
    registry: views(job).forAccount(job.owner),
    log,
  });
  deps.onOutcome?.(outcome);
  if (outcome.kind === "failed") throw new Error(outcome.reason);
  recordLatency(log, deps.latency, job, outcome, deps.repoDeps.now().getTime());
}

/** A job's wait (since the upstream change) and run time, and whether it failed, for /metrics. */
async function timed(metrics: RepinMetrics | undefined, job: RepoJob, run: () => Promise<void>): Promise<void> {
  const startedAt = Date.now();
  let ok = false;
  try {
    await run();
    ok = true;
  } finally {
    metrics?.job({ waitedMs: startedAt - job.seenAt, ranMs: Date.now() - startedAt, ok });
  }
}

/** Upstream change → PR: one log line and one sample per PR the job wrote. */
export function recordLatency(
  log: Log,
  latency: LatencyRecorder,
  job: RepoJob,
  outcome: RepoOutcome,
  now: number,
): void {
  if (outcome.kind !== "reconciled" && outcome.kind !== "outside-schedule") return;
  const ms = now - job.seenAt;
  for (const pr of [...outcome.report.created, ...outcome.report.updated]) {
    latency.record(ms);
    log.info({ repo: outcome.repo, pr, reason: job.reason, ms }, "upstream change to PR");
  }
}

/** `client` whose writes (any method but GET and HEAD, as GitHub's pacing counts them) wait for `turn`. */
export function inTurn<C extends GitHubClient>(client: C, turn: WriteTurn): C {
  type Request = GitHubClient["request"];
  const request = async (...args: Parameters<Request>): Promise<unknown> => {
    const [route] = args as unknown as [string | { method?: string }];
    const method = (typeof route === "string" ? /^([A-Z]+) /.exec(route)?.[1] : route?.method) ?? "GET";
    if (!/^(GET|HEAD)$/i.test(method)) await turn.mayWrite();
    return client.request(...args);
  };
  const inTurnRequest = Object.assign(request, client.request) as unknown as Request;
  return new Proxy(client, {
    get: (target, key, receiver) => (key === "request" ? inTurnRequest : Reflect.get(target, key, receiver)),
  });
}
