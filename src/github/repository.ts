import { isWithinSchedule, parseDuration, type RepinConfig } from "../config/index.js";
import { addIgnore, renderDashboard, type DashboardState } from "../dashboard/index.js";
import { lookUp, planOptionsFrom } from "../lookup/index.js";
import { fileSkip, planUpdates, reason, scanFiles, type Lookups, type Update } from "../plan/index.js";
import {
  closedIgnore,
  decideProposals,
  dueDispatches,
  noVerdicts,
  referenceStates,
  sightingKey,
  skippedHolds,
  type DesiredPr,
  type ForceMode,
  type Marker,
  type MarkerKey,
  type Verdicts,
  type Waiting,
  withoutWorkflowEdits,
} from "../proposals/index.js";
import type { Registry } from "../registry/index.js";
import type { Store } from "../store/index.js";
import { syncConfigCheck } from "./check.js";
import { describeError, fullName, repoApi, type GitHubClient, type Log, type RepoTarget } from "./client.js";
import { loadDashboard, ownerOf, writeDashboard } from "./dashboard.js";
import { sendDispatch } from "./dispatches.js";
import { describePr, type Explainer } from "./explainer.js";
import { withIndexCreated } from "./index-created.js";
import type { DashboardMemory, RepoMemory } from "./memory.js";
import { canWriteWorkflows } from "./permissions.js";
import { readRepository, type ReadOptions } from "./read.js";
import { reconcile, type ReconcileReport } from "./reconcile.js";
import { tagUses } from "./usages.js";
import { securityFixes, waitingForUpstream } from "./verdicts.js";

/**
 * One repository, start to end: read (cheaply), check the config (the `repin/config` check run),
 * plan against the registry, send due rebuild dispatches, hold back what is ignored (dashboard)
 * or too young (minimumAge), reconcile its PRs, and show it all on the dashboard issue — unless
 * the head, the plan, the ignores, the holds and the advisory verdicts are what was last
 * reconciled, in which case nothing more is asked of GitHub. Outside the schedule, PRs are left as
 * they are, except those that fix advisories.
 *
 * With an explainer (SPEC 8): every proposed bump (and every one held by minimumAge) is explained
 * — layers read once, then cached by digest, the explanation memoized until the advisories change,
 * so an unchanged cycle asks the registry nothing. A bump that fixes an advisory skips minimumAge
 * and the schedule; an open PR whose count of fixed advisories changed (a feed published a fix
 * its digest carries) gets its body and `security` label rewritten, without a new commit. The
 * PR body's explanation itself is rendered only when a PR is created or rewritten. The dashboard
 * says "waiting for upstream fix" for current references whose image has fixable advisories —
 * computed only from inventories already cached (images repin explained before, typically the new
 * digest of a merged PR), never by reading layers for it.
 * Never throws: a failure is this repository's outcome, logged, and the next cycle tries again.
 */
export interface RepoDeps {
  /** What repin remembers, across restarts (src/store). */
  readonly store: Store;
  /** The cycle's memoized registry, shared by every repository of the cycle. */
  readonly registry: Registry;
  readonly log: Log;
  readonly now: () => Date;
  /** The App's bot login (`<slug>[bot]`): the creator of repin's dashboard issues. */
  readonly botLogin: () => Promise<string>;
  /** Seals the commits PR markers name (SPEC 10); from the App's private key, never logged. */
  readonly markerKey: MarkerKey;
  /** Package diffs and advisories; without it PRs are not explained. */
  readonly explainer?: Explainer;
  /** How the config is found and parsed (the Action's `config`, `update-tags` and `dashboard` inputs). */
  readonly read?: ReadOptions;
  /** The `repin/config` check run; default on (the Action reports a bad config as its step's error instead). */
  readonly configCheck?: boolean;
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
  | {
      readonly repo: string;
      readonly kind: "reconciled" | "outside-schedule";
      readonly report: ReconcileReport;
      readonly dispatched: number;
      /** Every reference's update, as planned this cycle. */
      readonly updates: readonly Update[];
    }
  | { readonly repo: string; readonly kind: "config-error" | "failed"; readonly reason: string };

export async function processRepository(
  client: GitHubClient,
  target: RepoTarget,
  deps: RepoDeps,
  request: RepoRequest = {},
): Promise<RepoOutcome> {
  const name = fullName(target);
  try {
    return await process(client, target, deps, request);
  } catch (error) {
    const reason = describeError(error);
    deps.log.error({ repo: name, reason }, "repository failed; the next cycle retries it");
    return { repo: name, kind: "failed", reason };
  }
}

async function process(
  client: GitHubClient,
  target: RepoTarget,
  deps: RepoDeps,
  request: RepoRequest,
): Promise<RepoOutcome> {
  const name = fullName(target);
  const read = await readRepository(client, target, deps.store, deps.read);
  if (read.kind === "empty") {
    await deps.store.usages.replace(target, []);
    return { repo: name, kind: "empty" };
  }
  const repo = read.repo;

  const parsed = repo.config;
  if (deps.configCheck !== false)
    await syncConfigCheck(client, target, repo.headSha!, repo.configText, parsed, deps.store);
  if (!parsed.ok) {
    const reason = `${parsed.error.file}:${parsed.error.line}: ${parsed.error.reason}`;
    deps.log.warn({ repo: name, reason }, "config does not validate; no PRs for this repository");
    await showPaused(client, target, deps, reason);
    return { repo: name, kind: "config-error", reason };
  }
  const config = parsed.config;
  const workflows = await canWriteWorkflows(client);
  const { updates, planned, lookups } = await planRepository(repo, config, deps.registry, workflows);
  await deps.store.usages.replace(target, tagUses(updates, lookups));

  const dispatched = config.rebuild.dispatch
    ? await dispatchDue(client, target, deps.store, { repo, updates, lookups })
    : 0;

  const dashboard = config.dashboard ? await loadDashboard(client, target, deps.store, await ownerOf(deps)) : null;
  const now = deps.now();
  const inSchedule = isWithinSchedule(config.schedule, now, config.timezone);
  const forced = (request.force?.size ?? 0) > 0;
  const hold = !inSchedule && !forced;
  const explainer = deps.explainer;
  const platform = explainer?.platformFor(config.platforms) ?? "";
  const minimumAgeMs = config.minimumAge === undefined ? null : parseDuration(config.minimumAge);
  // minimumAge's clocks for this repository's new digests and tags, from the store.
  const firstSeen = await deps.store.firstSeen.get(
    updates.map(sightingKey).filter((key): key is string => key !== null),
  );
  const decide = async (verdicts: Verdicts, waiting: Waiting) => {
    const proposals = decideProposals({
      planned,
      updates,
      files: repo.files,
      headSha: repo.headSha,
      configText: repo.configText,
      group: config.group,
      minimumAgeMs,
      ignores: dashboard?.ignores ?? [],
      firstSeen,
      now,
      inSchedule,
      verdicts,
      waiting,
    });
    if (proposals.sightings.size > 0) {
      await deps.store.firstSeen.record(proposals.sightings);
      for (const [key, at] of proposals.sightings) firstSeen.set(key, at);
    }
    return proposals;
  };
  let decided = await decide(noVerdicts, new Map());
  // Verdicts come from explanations memoized per digest pair and inventories cached by digest:
  // after the first time they cost no registry request, so they can go into the fingerprint.
  const verdicts = explainer ? await securityFixes(explainer, deps.registry, platform, decided) : noVerdicts;
  const waiting =
    explainer && dashboard ? await waitingForUpstream(explainer, updates, platform) : new Map<Update, string>();
  if (verdicts.fixes.size > 0 || verdicts.unsure.size > 0 || waiting.size > 0)
    decided = await decide(verdicts, waiting);
  if (read.kind === "unchanged" && repo.settled === decided.fingerprint && !request.fresh && !forced)
    return { repo: name, kind: "unchanged" };
  const fingerprint = decided.fingerprint;

  const ignoresBefore = dashboard?.ignores;
  const recordIgnore = dashboard
    ? (marker: Marker, pr: number) => recordClosed(client, target, deps, { dashboard, marker, pr, now })
    : undefined;
  const describe = explainer
    ? (pr: DesiredPr, opening: boolean) =>
        describePr(explainer, deps.registry, pr, platform, skippedHolds(decided, pr.branch, hold), opening)
    : undefined;
  const report = await reconcile(repoApi(client, target), {
    target: { base: repo.defaultBranch, headSha: repo.headSha!, treeSha: repo.treeSha!, modes: repo.modes },
    desired: decided.desired,
    updates,
    settings: config,
    log: deps.log,
    botLogin: await deps.botLogin(),
    markerKey: deps.markerKey,
    ...(request.force && { force: request.force }),
    ...(recordIgnore && { recordIgnore }),
    hold,
    urgent: decided.urgent,
    ...(describe && { describe }),
    verdicts: decided.counts,
  });
  if (dashboard) {
    // A PR closed unmerged was just recorded as an ignore: the rows must say so.
    if (dashboard.ignores !== ignoresBefore) decided = await decide(verdicts, waiting);
    const references = referenceStates(updates, {
      held: decided.held,
      group: config.group,
      prs: new Map(report.open.map((pr) => [pr.branch, pr.number])),
      outsideSchedule: hold,
      deferred: report.deferred,
      waiting,
    });
    await showDashboard(client, target, deps, { dashboard, references, openPrs: report.open });
  }
  // A registry that failed while explaining may answer next cycle: do not settle on this answer.
  await deps.store.repositories.settle(repo.key, verdicts.unsure.size > 0 ? null : fingerprint);
  const wrote = report.created.length + report.updated.length + report.closed.length;
  if (wrote > 0 || dispatched > 0) deps.log.info({ repo: name, ...report, dispatched }, "reconciled");
  return { repo: name, kind: hold ? "outside-schedule" : "reconciled", report, dispatched, updates };
}

/**
 * The plan of a repository as read: every reference's update (unread files as skips first); without
 * `workflows: write`, workflow files' references are reported and not edited.
 */
export async function planRepository(
  repo: RepoMemory,
  config: RepinConfig,
  registry: Registry,
  canWriteWorkflows = true,
): Promise<{ updates: Update[]; planned: readonly Update[]; lookups: Lookups }> {
  const options = planOptionsFrom(config);
  const scanned = scanFiles(repo.files);
  // The creation time shown for an index without an annotation is that of the platform built (else linux/amd64).
  const lookups = await lookUp(scanned, withIndexCreated(registry, config.platforms[0] ?? "linux/amd64"), options);
  const planned = withoutWorkflowEdits(planUpdates(scanned, lookups, options).updates, canWriteWorkflows);
  return {
    updates: [...repo.unread.map((file) => fileSkip(file.path, reason("unread-file", file.reason))), ...planned],
    planned,
    lookups,
  };
}

/** Sends the rebuild dispatches due (SPEC 5) and remembers the digests seen; how many were sent. */
async function dispatchDue(
  client: GitHubClient,
  target: RepoTarget,
  store: Store,
  plan: { readonly repo: RepoMemory; readonly updates: readonly Update[]; readonly lookups: Lookups },
): Promise<number> {
  const { repo } = plan;
  const { due, now } = dueDispatches(plan.updates, plan.lookups, repo.seen);
  for (const dispatch of due) await sendDispatch(client, target.owner, target.name, dispatch);
  // After the sends: a restart in between sends them again rather than never.
  const seen = Object.fromEntries(now);
  if (JSON.stringify(seen) !== JSON.stringify(repo.record.seen))
    await store.repositories.put(repo.key, { ...repo.record, settled: repo.settled, seen });
  return due.length;
}

/** The dashboard issue shows every reference's state; none is created for a repository with nothing to show. */
async function showDashboard(
  client: GitHubClient,
  target: RepoTarget,
  deps: RepoDeps,
  shown: Pick<DashboardState, "references" | "openPrs"> & { readonly dashboard: DashboardMemory },
): Promise<void> {
  const { dashboard } = shown;
  const state: DashboardState = {
    references: shown.references,
    openPrs: shown.openPrs,
    ignores: dashboard.ignores,
    paused: null,
  };
  dashboard.state = state;
  if (dashboard.number !== null || state.references.length > 0 || state.ignores.length > 0)
    await writeDashboard(client, target, dashboard, renderDashboard(state), deps);
}

/**
 * A repin PR closed unmerged: "not this digest" (or tag), recorded in the dashboard — written at
 * once, before the closed PR's marker says it is recorded, so no crash between the two loses it.
 */
async function recordClosed(
  client: GitHubClient,
  target: RepoTarget,
  deps: Pick<RepoDeps, "log" | "store" | "markerKey">,
  closed: { readonly dashboard: DashboardMemory; readonly marker: Marker; readonly pr: number; readonly now: Date },
): Promise<void> {
  const { dashboard } = closed;
  const ignore = closedIgnore(closed.marker, closed.pr, closed.now);
  if (ignore === null) return;
  dashboard.ignores = addIgnore(dashboard.ignores, ignore);
  await saveIgnores(client, target, dashboard, deps);
}

/**
 * Writes the dashboard's ignores now (with the rows it showed last; the cycle's own write brings
 * them up to date). The record comes first: what a PR's marker or state says about an ignore is
 * written only after it, so a crash in between leaves the ignore recorded, never a marker alone.
 */
export async function saveIgnores(
  client: GitHubClient,
  target: RepoTarget,
  dashboard: DashboardMemory,
  deps: Pick<RepoDeps, "log" | "store" | "markerKey">,
): Promise<void> {
  const state: DashboardState = {
    references: dashboard.state?.references ?? [],
    openPrs: dashboard.state?.openPrs ?? [],
    ignores: dashboard.ignores,
    paused: null,
  };
  await writeDashboard(client, target, dashboard, renderDashboard(state), deps);
}

/** While the config is invalid, an existing dashboard says so (with what it showed last); none is created. */
async function showPaused(client: GitHubClient, target: RepoTarget, deps: RepoDeps, reason: string): Promise<void> {
  const dashboard = await loadDashboard(client, target, deps.store, await ownerOf(deps));
  if (dashboard.number === null) return;
  const state: DashboardState = {
    references: dashboard.state?.references ?? [],
    openPrs: dashboard.state?.openPrs ?? [],
    ignores: dashboard.ignores,
    paused: reason,
  };
  const next = renderDashboard(state);
  // After a restart repin no longer knows the rows; a body that already shows this warning stays.
  const warning = next.split("\n").find((line) => line.startsWith("> repin opens"));
  if (dashboard.state === undefined && warning !== undefined && dashboard.body.includes(warning)) return;
  await writeDashboard(client, target, dashboard, next, deps);
}
