/**
 * The App's operations side (SPEC 9, 13), wired in one place: metrics, readiness, the hook every
 * GitHub client gets (counts, last contact, write pacing), registry failures in the log, and the
 * /healthz, /readyz and /metrics endpoints.
 */
import type { ApplicationFunctionOptions, Probot } from "probot";
import type { RepoOutcome } from "../github/index.js";
import type { Store } from "../store/index.js";
import { registryFailureLog } from "./failures.js";
import { hookGitHub, type GitHubHooks } from "./github-hooks.js";
import { createReadiness, operationsEndpoints, type Readiness } from "./health.js";
import { installationClient } from "./installation-token.js";
import { countMerges, createMetrics, type RepinMetrics } from "./metrics.js";
import { createPacer } from "./pacing.js";

export interface Operations {
  readonly metrics: RepinMetrics;
  readonly readiness: Readiness;
  /** The App's own client (`GET /app`, installation listing), hooked. */
  appClient(): Promise<Awaited<ReturnType<Probot["auth"]>>>;
  /** An installation's client, hooked and with its token refusal named. */
  installation(app: Probot, id: number): Promise<Awaited<ReturnType<Probot["auth"]>>>;
  /** Hooks a client the App was handed (a webhook's), once. */
  hook<C>(client: C, installationId: number | null): C;
  /** Each repository's outcome: PRs counted, registries that failed logged. */
  outcome(outcome: RepoOutcome): void;
  /** Once the App loads: pacing over the store, the endpoints, merge counting, queue depth. */
  load(app: Probot, options: ApplicationFunctionOptions, store: Store): void;
}

export function createOperations(settings: {
  readonly metrics?: RepinMetrics;
  readonly writesPerMinute?: number | null;
  readonly probot: () => Probot | null;
  readonly store: () => Store | null;
}): Operations {
  const metrics = settings.metrics ?? createMetrics();
  let pace: GitHubHooks["pace"] = undefined;
  let registryFailures: ((outcome: RepoOutcome) => void) | null = null;
  const appClient = async () => {
    const app = settings.probot();
    if (!app) throw new Error("the app is not loaded yet");
    return hookGitHub(await app.auth(), null, hooks);
  };
  const readiness = createReadiness({
    store: settings.store,
    probeGitHub: async () => (await appClient()).request("GET /app"),
  });
  const hooks: GitHubHooks = {
    metrics,
    contact: (ok, reason) => readiness.github(ok, reason),
    pace: (installation, request) => pace?.(installation, request) ?? Promise.resolve(),
  };
  return {
    metrics,
    readiness,
    appClient,
    installation: (app, id) =>
      installationClient(
        { auth: async (installation: number) => hookGitHub(await app.auth(installation), installation, hooks) },
        id,
      ),
    hook: (client, installationId) => hookGitHub(client, installationId, hooks),
    outcome(outcome) {
      metrics.outcome(outcome);
      registryFailures?.(outcome);
    },
    load(app, options, store) {
      if (settings.writesPerMinute)
        pace = createPacer({ pacing: store.pacing, writesPerMinute: settings.writesPerMinute });
      registryFailures ??= registryFailureLog(app.log);
      options.addHandler(operationsEndpoints({ readiness, metrics }));
      countMerges(app, metrics);
      metrics.queueDepth(async () => (await store.queue.due(Number.MAX_SAFE_INTEGER, 1_000_000)).length);
    },
  };
}
