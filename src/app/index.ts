/**
 * The Probot 14 app. `createRepin(options)` builds it with its collaborators (registry factory,
 * clock, store, schedule) so tests can pass others and call `runCycle()` directly; the default
 * export reads the environment: `REPIN_SCHEDULE` (cron, default hourly; "off" disables it),
 * `REPIN_INSECURE_REGISTRIES` (comma-separated hosts allowed plain HTTP), `REPIN_PRIVATE_REGISTRIES`
 * (hosts repository content may point at although they are internal addresses), registry
 * credentials from Docker's config.json for the accounts in `REPIN_CREDENTIAL_ACCOUNTS` (SPEC 10).
 * What repin remembers (ETags, blobs by SHA, last plans, dashboards, check states, minimumAge first
 * sightings, floating-tag digests, verdicts, delivery ids, inventories, the reverse index, pending
 * work) is in the store, SQLite in `REPIN_DATA_DIR` (default `./.repin`): a restart costs what a
 * steady cycle costs and restarts no minimumAge clock. Ignores live in the dashboard issue, review
 * overrides in the PR marker.
 *
 * Explaining bumps (SPEC 8): `REPIN_ADVISORY_FEEDS` lists the advisory feeds (a JSON array of
 * `{url, format, ecosystem?}` or a comma list of `format:ecosystem:url`; see parseAdvisoryFeeds;
 * unset: the public Wolfi, Chainguard and Alpine feeds; `[]`: none). They are fetched at the start
 * of each scheduled cycle (once per cycle, ETag / If-Modified-Since) and before the first webhook
 * scan; a feed that fails keeps its last copy and is logged. Image inventories are kept in the
 * store, so a restart reads no layer again. `/repin explain` replies with
 * a PR's explanation (`options.explain` replaces it).
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import cron, { type ScheduledTask } from "node-cron";
import type { ApplicationFunction, Probot } from "probot";
import { mapLimit } from "../lookup/index.js";
import { createAdvisoryStore, parseAdvisoryFeeds, type AdvisorySource, type AdvisoryStore } from "../explain/index.js";
import { createFeedFetcher, type FeedCopies } from "../advisory-feeds/index.js";
import type { InventoryCache } from "../inventory/index.js";
import {
  createExplainer,
  explainReply,
  fullName,
  processRepository,
  runCycle,
  type CommandDeps,
  type CycleReport,
  type ExplainCommand,
  type GitHubClient,
  type Log,
  type RepinPr,
  type RepoOutcome,
  type Explainer,
  type RepoTarget,
} from "../github/index.js";
import { appRegistryFromEnv, credentialScopeWarning, type RegistryViews } from "../registry/index.js";
import { markerKey, type MarkerKey } from "../proposals/index.js";
import type { HintSink } from "../registry-events/index.js";
import { openSqliteStore, openStoreDir, type Store } from "../store/index.js";
import { createLatencyRecorder, createSerial, type LatencyRecorder } from "../queue/index.js";
import type { Hint } from "../watch/index.js";
import { registerHandlers } from "./handlers.js";
import { logStartLine, upstreamFromEnv } from "./start-line.js";
import { startUpstream, type Upstream, type UpstreamSettings } from "./upstream.js";
import { listenUpstream } from "./push-notices.js";
import { guardInstallationToken, installationClient } from "./installation-token.js";
import { webhooksAtRoot } from "./root-webhook.js";
import { createReadiness, operationsEndpoints } from "./health.js";
import { hookGitHub, type GitHubHooks } from "./github-hooks.js";
import { registryFailureLog } from "./failures.js";
import { createPacer, writesPerMinuteFromEnv } from "./pacing.js";
import { countMerges, createMetrics, observedLatency, type RepinMetrics } from "./metrics.js";
import { createInFlight, DEFAULT_SHUTDOWN_GRACE_S, stopWithin, type StopReport } from "./shutdown.js";

export const DEFAULT_SCHEDULE = "0 * * * *";

/**
 * The key that seals the commits PR markers name (SPEC 10): `REPIN_MARKER_KEY` when set (the
 * secret the repository's Action gets as `marker-key`, so the two trust each other's seals),
 * else derived from the App's private key as Probot reads it (PRIVATE_KEY, else the file at
 * PRIVATE_KEY_PATH). Without one, a random key for this process: its seals are not trusted after a
 * restart, so repin then recognises its PRs by their trees, and leaves those whose proposal moved
 * on as someone else's.
 */
function sealingKey(privateKey: string | undefined, env: NodeJS.ProcessEnv): { key: MarkerKey; random: boolean } {
  const pem =
    (env.REPIN_MARKER_KEY || undefined) ??
    privateKey ??
    env.PRIVATE_KEY ??
    (env.PRIVATE_KEY_PATH ? readFileSync(env.PRIVATE_KEY_PATH, "utf8") : undefined);
  return pem ? { key: markerKey(pem), random: false } : { key: randomBytes(32), random: true };
}

export interface RepinOptions {
  /** `/repin explain`'s handler; without it `explain` is answered like an unknown command. */
  readonly explain?: ExplainCommand;
  /**
   * Fresh per-run views (memoized) each call, one per credential scope; default from the environment
   * (`appRegistryFromEnv`: internal addresses refused, credentials for the accounts named).
   */
  readonly registry?: () => RegistryViews;
  /**
   * What repin remembers across restarts, or how to open it when the App loads (after the options
   * are checked); default: an in-memory SQLite store (tests).
   */
  readonly store?: Store | (() => Promise<Store>);
  readonly now?: () => Date;
  /** Cron expression for the cycle, or null for none (tests call runCycle). */
  readonly schedule?: string | null;
  /**
   * Advisory feeds, refreshed at the start of each cycle; default: REPIN_ADVISORY_FEEDS or the
   * public feeds. `generation` must go up when what they say changes: explanations are memoized
   * until it does.
   */
  readonly advisories?: AdvisoryFeeds;
  /** Image inventories by digest; default: the store's. */
  readonly inventoryCache?: InventoryCache;
  /** Platform explained when a repository's config names none; default linux/amd64. */
  readonly explainPlatform?: string;
  /** Most layer bytes read per image; default 512 MiB. */
  readonly explainMaxBytes?: number;
  /** The App's private key (PEM), which PR markers' seals are keyed from; default PRIVATE_KEY or PRIVATE_KEY_PATH. */
  readonly privateKey?: string;
  /** The watch loop and feed clock (SPEC 11); default: neither (tests call `upstream.watcher.tick()`). */
  readonly upstream?: UpstreamSettings;
  /** Where upstream push notices go (registry events, `registry_package`): `hint(tag, seenAt)`. */
  readonly hint?: HintSink;
  /** Bearer token of POST /api/repin/registry-events; default REPIN_REGISTRY_EVENTS_TOKEN; unset or empty: off. */
  readonly registryEventsToken?: string;
  /** Where /metrics counts (default: a registry of this App's own); pass one to count a test's registry client too. */
  readonly metrics?: RepinMetrics;
  /**
   * Content-creating requests per minute per installation, paced through the store so every replica
   * shares the pace (SPEC 9); default: no pacing (tests). The App from the environment: 80.
   */
  readonly writesPerMinute?: number | null;
}

export type AdvisoryFeeds = AdvisorySource & Pick<AdvisoryStore, "refresh"> & { readonly generation?: number };

export interface Repin {
  readonly app: ApplicationFunction;
  /** The store, once the App is loaded. */
  readonly store: Store;
  /** The work queue and the watcher, once the App is loaded. */
  readonly upstream: Upstream;
  /** Every upstream trigger's entry point (registry events, `registry_package`); ignored until the App is loaded. */
  readonly hint: Hint;
  /** Upstream change → PR times (the operations issue exposes them). */
  readonly latency: LatencyRecorder;
  /** One scheduled cycle over every installation; throws only if the installations cannot be listed. */
  runCycle(): Promise<CycleReport>;
  /**
   * Stops taking work (schedule, watch and feed clocks, the queue, new webhook work), waits up to
   * `graceMs` (default 25 s) for the running work, then closes the store. A job still running is
   * handed back: it stays queued for the next start. Calling it again returns the same stop.
   */
  stop(graceMs?: number): Promise<StopReport>;
}

export function createRepin(options: RepinOptions = {}): Repin {
  // One lock per repository, shared by webhooks, commands, the schedule and the work queue.
  const locks = createSerial();
  const metrics = options.metrics ?? createMetrics();
  const latency = observedLatency(createLatencyRecorder(), metrics);
  let upstream: Upstream | null = null;
  // A malformed Docker config.json is a WARN in the App's log (probot is set before any lookup).
  const registry =
    options.registry ??
    appRegistryFromEnv(process.env, (message) => probot?.log.warn(message), metrics.registryRequest);
  const now = options.now ?? (() => new Date());
  const advisories = options.advisories ?? defaultAdvisories(process.env, () => loaded?.store.feeds);
  const sealing = sealingKey(options.privateKey, process.env);
  let probot: Probot | null = null;
  let task: ScheduledTask | null = null;
  // /readyz: the store answers and GitHub did at the last contact (every client's hook reports it).
  const readiness = createReadiness({
    store: () => loaded?.store ?? null,
    probeGitHub: async () => (await appClient()).request("GET /app"),
  });
  // Each repository's outcome: PRs counted, registries that failed logged (once per host for a while).
  let registryFailures: ((outcome: RepoOutcome) => void) | null = null;
  const observeOutcome = (outcome: RepoOutcome): void => {
    metrics.outcome(outcome);
    registryFailures?.(outcome);
  };
  let pace: GitHubHooks["pace"] = undefined;
  const hooks: GitHubHooks = {
    metrics,
    contact: (ok, reason) => readiness.github(ok, reason),
    pace: (installation, request) => pace?.(installation, request) ?? Promise.resolve(),
  };
  const appClient = async () => {
    if (!probot) throw new Error("the app is not loaded yet");
    return hookGitHub(await probot.auth(), null, hooks);
  };
  /** An installation's client, hooked (metrics, readiness) and with its token refusal named. */
  const installationOf = (app: Probot, id: number) =>
    installationClient(
      { auth: async (installation: number) => hookGitHub(await app.auth(installation), installation, hooks) },
      id,
    );
  // Cycles, webhook scans and commands under way, so a stop waits for them; none starts once stopping.
  const inFlight = createInFlight();
  let stopping: Promise<StopReport> | null = null;
  const track = <T>(work: () => Promise<T>): Promise<T> =>
    stopping ? Promise.reject(new Error("repin is stopping; no new work")) : inFlight.track(work());
  // The store opens when the App loads; the explainer keeps its inventories and verdicts there.
  let loaded: { store: Store; explainer: Explainer } | null = null;
  const ready = () => {
    if (!loaded) throw new Error("the app is not loaded yet");
    return loaded;
  };
  const loadedStore = (): Store => ready().store;
  const explainerOf = (store: Store): Explainer =>
    createExplainer({
      advisories,
      cache: options.inventoryCache ?? store.inventories,
      verdicts: store.verdicts,
      ...(options.explainPlatform ? { platform: options.explainPlatform } : {}),
      ...(options.explainMaxBytes !== undefined ? { maxBytes: options.explainMaxBytes } : {}),
    });

  // The App's bot login, asked of GitHub once (`GET /app` as the App); a failure is asked again.
  let login: Promise<string> | null = null;
  const botLogin = (): Promise<string> => {
    login ??= appClient()
      .then((client) => client.request("GET /app"))
      .then(({ data }) => `${data?.slug ?? "repin"}[bot]`)
      .catch((error: unknown) => {
        login = null;
        throw error;
      });
    return login;
  };

  // One refresh at a time; webhooks only wait for the first one (the store starts empty).
  let refreshing: Promise<void> | null = null;
  let refreshed: Promise<void> | null = null;
  const refresh = (log: Log): Promise<void> => {
    refreshing ??= advisories
      .refresh()
      .then(({ problems }) => {
        if (problems.length > 0)
          log.warn({ problems }, "advisory feeds: some could not be read; the last copies are kept");
      })
      .catch((error: unknown) => log.error({ error: String(error) }, "advisory feeds could not be refreshed"))
      .finally(() => (refreshing = null));
    refreshed ??= refreshing;
    return refreshing;
  };

  const cycle = (): Promise<CycleReport> =>
    track(async () => {
      const started = performance.now();
      try {
        const report = await runOneCycle();
        for (const outcome of report.outcomes) observeOutcome(outcome);
        metrics.cycle((performance.now() - started) / 1000, true);
        return report;
      } catch (error) {
        metrics.cycle((performance.now() - started) / 1000, false);
        throw error;
      }
    });
  const runOneCycle = async (): Promise<CycleReport> => {
    if (!probot) throw new Error("the app is not loaded yet");
    const app = probot;
    await refresh(app.log);
    return runCycle(
      { app: appClient, installation: (id) => installationOf(app, id) },
      {
        store: loadedStore(),
        locks,
        registry,
        log: app.log,
        now,
        botLogin,
        explainer: ready().explainer,
        markerKey: sealing.key,
      },
    );
  };

  const scan = (client: GitHubClient, targets: readonly RepoTarget[]) => track(() => scanNow(client, targets));
  const scanNow = async (client: GitHubClient, targets: readonly RepoTarget[]) => {
    if (!probot) return;
    const log = probot.log;
    await (refreshed ?? refresh(log));
    const views = registry();
    // One event, one installation: a refused token is asked for once and named (installation-token.ts).
    const guarded = targets[0] ? guardInstallationToken(client, targets[0].installationId) : client;
    // A few repositories at once: an installation can bring hundreds.
    await mapLimit(targets, 4, (target) =>
      locks(fullName(target), () =>
        processRepository(hookGitHub(guarded, target.installationId, hooks), target, {
          store: loadedStore(),
          registry: views.forAccount(target.owner),
          log,
          now,
          botLogin,
          explainer: ready().explainer,
          markerKey: sealing.key,
        }).then((outcome) => (observeOutcome(outcome), outcome)),
      ),
    );
  };

  /** Command and dashboard work on one repository, under its lock, with a fresh registry view. */
  const act = <T>(target: RepoTarget, work: (deps: CommandDeps) => Promise<T>): Promise<T> => {
    const log = probot?.log;
    if (!log) return Promise.reject(new Error("the app is not loaded yet"));
    const deps: CommandDeps = {
      store: loadedStore(),
      registry: registry().forAccount(target.owner),
      log,
      now,
      botLogin,
      explainer: ready().explainer,
      markerKey: sealing.key,
    };
    const explain =
      options.explain ?? ((client: GitHubClient, on: RepoTarget, pr: RepinPr) => explainReply(client, on, pr, deps));
    return track(() => locks(fullName(target), () => work({ ...deps, explain })));
  };

  const app: ApplicationFunction = async (probotApp, appOptions) => {
    if (!loaded) {
      const opened = await openStore(options.store);
      loaded = { store: opened, explainer: explainerOf(opened) };
    }
    const { store, explainer } = ready();
    if (options.writesPerMinute) pace = createPacer({ pacing: store.pacing, writesPerMinute: options.writesPerMinute });
    probot = probotApp;
    registryFailures ??= registryFailureLog(probotApp.log);
    if (sealing.random)
      probotApp.log.warn(
        "no private key to seal PR markers with (PRIVATE_KEY, PRIVATE_KEY_PATH): a restart will not trust the markers written now",
      );
    registerHandlers(probotApp, { store, scan, act, client: (octokit, id) => hookGitHub(octokit, id, hooks) });
    appOptions.addHandler(operationsEndpoints({ readiness, metrics }));
    countMerges(probotApp, metrics);
    metrics.queueDepth(async () => (await store.queue.due(Number.MAX_SAFE_INTEGER, 1_000_000)).length);
    upstream = await startUpstream(
      {
        probot: probotApp,
        store,
        registry,
        exclusive: locks,
        feeds: advisories,
        latency,
        metrics,
        onOutcome: observeOutcome,
        repoDeps: { now, botLogin, explainer, markerKey: sealing.key },
        ready: () => refreshed ?? refresh(probotApp.log),
        installation: (id) => installationOf(probotApp, id),
      },
      options.upstream ?? { watchIntervalMs: null, feedIntervalMs: null },
    );
    const eventsToken = options.registryEventsToken ?? process.env.REPIN_REGISTRY_EVENTS_TOKEN;
    listenUpstream(probotApp, appOptions, {
      hint: options.hint ?? ((tag, seenAt) => upstream?.watcher.hint(tag, seenAt)),
      token: eventsToken,
    });
    logStartLine(probotApp.log, {
      schedule: options.schedule ?? null,
      store,
      settings: options.upstream,
      registryEvents: Boolean(eventsToken?.trim()),
    });
    if (options.schedule) {
      task = cron.schedule(
        options.schedule,
        () =>
          cycle().then(summarize(probotApp), (error: unknown) =>
            probotApp.log.error({ error: String(error) }, "cycle failed"),
          ),
        {
          name: "repin-cycle",
          noOverlap: true,
        },
      );
    }
  };

  return {
    app,
    get store() {
      return loadedStore();
    },
    get upstream() {
      if (!upstream) throw new Error("the app is not loaded yet");
      return upstream;
    },
    hint: (tag, seenAt) => upstream?.watcher.hint(tag, seenAt),
    latency,
    runCycle: cycle,
    stop(graceMs = DEFAULT_SHUTDOWN_GRACE_S * 1000) {
      readiness.stopping();
      stopping ??= stopWithin(
        {
          halt: async () => {
            task?.stop();
            await Promise.all([upstream?.stop(), inFlight.settled()]);
          },
          close: async () => loaded?.store.close(),
          log: probot?.log ?? null,
        },
        graceMs,
      );
      return stopping;
    },
  };
}

function summarize(app: Probot) {
  return (report: CycleReport) => {
    const failed = report.outcomes.filter(
      (outcome) => outcome.kind === "failed" || outcome.kind === "config-error",
    ).length;
    app.log.info(
      {
        installations: report.installations,
        repositories: report.outcomes.length,
        failed,
        failedInstallations: report.failedInstallations,
      },
      "cycle done",
    );
  };
}

/** REPIN_ADVISORY_FEEDS (or the public feeds); an entry that does not read stops the start, with the reason. */
export function defaultAdvisories(env: NodeJS.ProcessEnv, copies?: () => FeedCopies | undefined): AdvisoryStore {
  const { feeds, problems } = parseAdvisoryFeeds(env.REPIN_ADVISORY_FEEDS);
  if (problems.length > 0) throw new Error(`${problems.join("; ")}; fix or remove the entry`);
  return createAdvisoryStore({ feeds, fetcher: createFeedFetcher(copies ? { copies } : {}) });
}

function openStore(option: RepinOptions["store"]): Promise<Store> {
  if (option === undefined) return openSqliteStore(":memory:");
  return typeof option === "function" ? option() : Promise.resolve(option);
}

/** REPIN_DATA_DIR (default `./.repin`), created on first start. */
export function dataDir(env: NodeJS.ProcessEnv): string {
  return env.REPIN_DATA_DIR?.trim() || ".repin";
}

/** The App as `npm start` runs it, configured from the environment, with the handle that stops it (main.ts). */
export function repinFromEnv(): {
  readonly app: ApplicationFunction;
  stop(graceMs?: number): Promise<StopReport>;
  /** The App's logger once loaded (null in the setup flow). */
  log(): Log | null;
} {
  let repin: Repin | null = null;
  let log: Log | null = null;
  return {
    log: () => log,
    app: async (app, options) => {
      const configured = process.env.REPIN_SCHEDULE ?? DEFAULT_SCHEDULE;
      const schedule = configured === "off" ? null : configured;
      if (schedule && !cron.validate(schedule)) throw new Error(`REPIN_SCHEDULE is not a cron expression: ${schedule}`);
      log = app.log;
      const unscoped = credentialScopeWarning(process.env);
      if (unscoped) app.log.warn(unscoped);
      // The setup flow registers `<public URL>/` when no WEBHOOK_PROXY_URL is set: serve webhooks there too.
      options.addHandler(webhooksAtRoot(app));
      const store = async () => {
        const opened = await openStoreDir(dataDir(process.env));
        app.log.info({ store: opened.location }, "store opened");
        return opened;
      };
      repin = createRepin({
        schedule,
        store,
        upstream: upstreamFromEnv(process.env),
        writesPerMinute: writesPerMinuteFromEnv(process.env),
      });
      return repin.app(app, options);
    },
    stop: async (graceMs) => repin?.stop(graceMs) ?? { finished: true },
  };
}

const repinApp: ApplicationFunction = (app, options) => repinFromEnv().app(app, options);

export default repinApp;
