import { DEFAULT_CONFIG_FILE, isWithinSchedule, parseDuration, parseRepinConfig, type RepinConfig } from "../config/index.js";
import { addIgnore, ignoreId, renderDashboard, type DashboardState } from "../dashboard/index.js";
import { lookUp, planOptionsFrom } from "../engine/index.js";
import { fileSkip, planUpdates, scanFiles, type Update } from "../plan/index.js";
import type { Registry } from "../registry/index.js";
import type { Marker } from "./body.js";
import { syncConfigCheck } from "./check.js";
import { describeError, fullName, type GitHubClient, type Log, type RepoTarget } from "./client.js";
import { loadDashboard, writeDashboard } from "./dashboard.js";
import { desiredPrs, shortHash } from "./desired.js";
import { dueDispatches, sendDispatch } from "./dispatch.js";
import type { DashboardMemory, RepinMemory, RepoMemory } from "./memory.js";
import { readRepository } from "./read.js";
import { reconcile, type ForceMode, type ReconcileReport } from "./reconcile.js";
import { holdBack, referenceStates } from "./states.js";

/**
 * One repository, start to end: read (cheaply), check the config (the `repin/config` check run),
 * plan against the registry, send due rebuild dispatches, hold back what is ignored (dashboard)
 * or too young (minimumAge), reconcile its PRs, and show it all on the dashboard issue — unless
 * the head, the plan, the ignores and the holds are what was last reconciled, in which case
 * nothing more is asked of GitHub. Outside the schedule, PRs are left as they are. Never throws:
 * a failure is this repository's outcome, logged, and the next cycle tries again.
 */
export interface RepoDeps {
  readonly memory: RepinMemory;
  /** The cycle's memoized registry, shared by every repository of the cycle. */
  readonly registry: Registry;
  readonly log: Log;
  readonly now: () => Date;
  /** The App's bot login (`<slug>[bot]`): the creator of repin's dashboard issues. */
  readonly botLogin: () => Promise<string>;
}

/** What a person asked for (commands, dashboard boxes). */
export interface RepoRequest {
  /** Rebuild these branches now; a forced run ignores the schedule. */
  readonly force?: ReadonlyMap<string, ForceMode>;
  /** Do not take the "nothing new" shortcut. */
  readonly fresh?: boolean;
}

export type RepoOutcome =
  | { readonly repo: string; readonly kind: "unchanged" | "empty" }
  | { readonly repo: string; readonly kind: "reconciled" | "outside-schedule"; readonly report: ReconcileReport; readonly dispatched: number }
  | { readonly repo: string; readonly kind: "config-error" | "failed"; readonly reason: string };

export async function processRepository(client: GitHubClient, target: RepoTarget, deps: RepoDeps, request: RepoRequest = {}): Promise<RepoOutcome> {
  const name = fullName(target);
  try {
    return await process(client, target, deps, request);
  } catch (error) {
    const reason = describeError(error);
    deps.log.error({ repo: name, reason }, "repository failed; the next cycle retries it");
    return { repo: name, kind: "failed", reason };
  }
}

async function process(client: GitHubClient, target: RepoTarget, deps: RepoDeps, request: RepoRequest): Promise<RepoOutcome> {
  const name = fullName(target);
  const read = await readRepository(client, target, deps.memory);
  if (read.kind === "empty") return { repo: name, kind: "empty" };
  const repo = read.repo;

  const parsed = parseRepinConfig(repo.configText, DEFAULT_CONFIG_FILE);
  await syncConfigCheck(client, target, repo.headSha!, repo.configText, parsed, deps.memory);
  if (!parsed.ok) {
    const reason = `${parsed.error.file}:${parsed.error.line}: ${parsed.error.reason}`;
    deps.log.warn({ repo: name, reason }, "config does not validate; no PRs for this repository");
    await showPaused(client, target, deps, reason);
    return { repo: name, kind: "config-error", reason };
  }
  const config = parsed.config;
  const options = planOptionsFrom(config);
  const scanned = scanFiles(repo.files);
  const lookups = await lookUp(scanned, deps.registry, options);
  const plan = planUpdates(scanned, lookups, options);
  const updates = [...repo.unread.map((file) => fileSkip(file.path, file.reason)), ...plan.updates];

  let dispatched = 0;
  if (config.rebuild.dispatch) {
    const { due, now } = dueDispatches(updates, lookups, repo.seen);
    for (const dispatch of due) {
      await sendDispatch(client, target.owner, target.name, dispatch);
      dispatched++;
    }
    repo.seen = now;
  }

  const dashboard = config.dashboard ? await loadDashboard(client, target, deps.memory, await deps.botLogin()) : null;
  const now = deps.now();
  const inSchedule = isWithinSchedule(config.schedule, now, config.timezone);
  const decide = () => decideProposals(plan.updates, updates, repo, config, dashboard, deps.memory.firstSeen, now, inSchedule);
  let decided = decide();
  const forced = (request.force?.size ?? 0) > 0;
  if (read.kind === "unchanged" && repo.settled === decided.fingerprint && !request.fresh && !forced) return { repo: name, kind: "unchanged" };

  const ignoresBefore = dashboard?.ignores;
  const recordIgnore = dashboard ? (marker: Marker, pr: number) => recordClosed(dashboard, marker, pr, now) : undefined;
  const hold = !inSchedule && !forced;
  const report = await reconcile(
    client,
    { owner: target.owner, repo: target.name, base: repo.defaultBranch, headSha: repo.headSha!, treeSha: repo.treeSha!, modes: repo.modes },
    decided.desired,
    updates,
    config,
    deps.log,
    { force: request.force, recordIgnore, hold },
  );
  if (dashboard) {
    if (dashboard.ignores !== ignoresBefore) decided = decide();
    const state: DashboardState = {
      references: referenceStates(updates, { held: decided.held, lookups, group: config.group, prs: new Map(report.open.map((pr) => [pr.branch, pr.number])), outsideSchedule: hold, deferred: report.deferred }),
      openPrs: report.open,
      ignores: dashboard.ignores,
      paused: null,
    };
    dashboard.state = state;
    if (dashboard.number !== null || state.references.length > 0 || state.ignores.length > 0) await writeDashboard(client, target, dashboard, renderDashboard(state), deps.log);
  }
  repo.settled = decided.fingerprint;
  const wrote = report.created.length + report.updated.length + report.closed.length;
  if (wrote > 0 || dispatched > 0) deps.log.info({ repo: name, ...report, dispatched }, "reconciled");
  return { repo: name, kind: hold ? "outside-schedule" : "reconciled", report, dispatched };
}

/** The PRs to have, what is held back, and the fingerprint that lets an unchanged cycle stop early. */
function decideProposals(
  planned: readonly Update[],
  updates: readonly Update[],
  repo: RepoMemory,
  config: RepinConfig,
  dashboard: DashboardMemory | null,
  firstSeen: Map<string, number>,
  now: Date,
  inSchedule: boolean,
) {
  const ignores = dashboard?.ignores ?? [];
  const minimumAge = config.minimumAge === undefined ? null : parseDuration(config.minimumAge);
  const { proposing, held } = holdBack(planned, ignores, minimumAge, firstSeen, now.getTime());
  const desired = desiredPrs(proposing, repo.files, config.group);
  const undecided = updates.filter((u) => u.action === "skip" && u.source !== null).map((u) => `${u.file}:${u.line}`);
  const fingerprint = shortHash(
    JSON.stringify([repo.headSha, repo.configText, desired.map((pr) => [pr.branch, pr.target, pr.content]), undecided, [...held.values()], ignores.map(ignoreId), inSchedule]),
  );
  return { desired, held, fingerprint };
}

/** A repin PR closed unmerged: "not this digest", recorded in the dashboard. */
function recordClosed(dashboard: DashboardMemory, marker: Marker, pr: number, now: Date): void {
  if (marker.digest === null) return;
  const colon = marker.key.lastIndexOf(":");
  dashboard.ignores = addIgnore(dashboard.ignores, { kind: "digest", image: marker.key.slice(0, colon), tag: marker.tag, digest: marker.digest, reason: "closed-unmerged", pr, at: now.toISOString() });
}

/** While the config is invalid, an existing dashboard says so (with what it showed last); none is created. */
async function showPaused(client: GitHubClient, target: RepoTarget, deps: RepoDeps, reason: string): Promise<void> {
  const dashboard = await loadDashboard(client, target, deps.memory, await deps.botLogin());
  if (dashboard.number === null) return;
  const state: DashboardState = { references: dashboard.state?.references ?? [], openPrs: dashboard.state?.openPrs ?? [], ignores: dashboard.ignores, paused: reason };
  const next = renderDashboard(state);
  // After a restart repin no longer knows the rows; a body that already shows this warning stays.
  const warning = next.split("\n").find((line) => line.startsWith("> repin opens"));
  if (dashboard.state === undefined && warning !== undefined && dashboard.body.includes(warning)) return;
  await writeDashboard(client, target, dashboard, next, deps.log);
}
