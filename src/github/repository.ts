import {
  DEFAULT_CONFIG_FILE,
  isWithinSchedule,
  parseDuration,
  parseRepinConfig,
  type RepinConfig,
} from "../config/index.js";
import { addIgnore, ignoreId, renderDashboard, type DashboardState } from "../dashboard/index.js";
import { lookUp, mapLimit, planOptionsFrom } from "../lookup/index.js";
import { fileSkip, planUpdates, reason, scanFiles, type Lookups, type Update } from "../plan/index.js";
import type { Registry } from "../registry/index.js";
import type { Marker } from "./body.js";
import { syncConfigCheck } from "./check.js";
import { describeError, fullName, type GitHubClient, type Log, type RepoTarget } from "./client.js";
import { loadDashboard, writeDashboard } from "./dashboard.js";
import { desiredPrs, shortHash, type DesiredPr } from "./desired.js";
import { dueDispatches, sendDispatch } from "./dispatch.js";
import { describePr, isBump, type Explainer } from "./explainer.js";
import type { SkippedHold } from "./explanation.js";
import type { DashboardMemory, RepinMemory, RepoMemory } from "./memory.js";
import { readRepository } from "./read.js";
import { reconcile, type ForceMode, type ReconcileReport } from "./reconcile.js";
import { holdBack, referenceStates } from "./states.js";

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
  readonly memory: RepinMemory;
  /** The cycle's memoized registry, shared by every repository of the cycle. */
  readonly registry: Registry;
  readonly log: Log;
  readonly now: () => Date;
  /** The App's bot login (`<slug>[bot]`): the creator of repin's dashboard issues. */
  readonly botLogin: () => Promise<string>;
  /** Package diffs and advisories; without it PRs are not explained. */
  readonly explainer?: Explainer;
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
  const { updates, planned, lookups } = await planRepository(repo, config, deps.registry);

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
  const forced = (request.force?.size ?? 0) > 0;
  const hold = !inSchedule && !forced;
  const explainer = deps.explainer;
  const platform = explainer?.platformFor(config.platforms) ?? "";
  const decide = (verdicts: Verdicts, waiting: Waiting) =>
    decideProposals(
      planned,
      updates,
      repo,
      config,
      dashboard,
      deps.memory.firstSeen,
      now,
      inSchedule,
      verdicts,
      waiting,
    );
  let decided = decide({ fixes: new Map(), unsure: new Set() }, new Map());
  // Verdicts come from explanations memoized per digest pair and inventories cached by digest:
  // after the first time they cost no registry request, so they can go into the fingerprint.
  const verdicts = explainer
    ? await securityFixes(explainer, deps.registry, platform, decided)
    : { fixes: new Map(), unsure: new Set<Update>() };
  const waiting =
    explainer && dashboard ? await waitingForUpstream(explainer, updates, platform) : new Map<Update, string>();
  if (verdicts.fixes.size > 0 || verdicts.unsure.size > 0 || waiting.size > 0) decided = decide(verdicts, waiting);
  if (read.kind === "unchanged" && repo.settled === decided.fingerprint && !request.fresh && !forced)
    return { repo: name, kind: "unchanged" };
  const fingerprint = decided.fingerprint;

  const ignoresBefore = dashboard?.ignores;
  const recordIgnore = dashboard ? (marker: Marker, pr: number) => recordClosed(dashboard, marker, pr, now) : undefined;
  const skippedFor = (branch: string): SkippedHold[] =>
    decided.urgent.has(branch)
      ? [...(hold ? (["schedule"] as const) : []), ...(decided.skippedAge.has(branch) ? (["minimumAge"] as const) : [])]
      : [];
  const describe = explainer
    ? (pr: DesiredPr, opening: boolean) =>
        describePr(explainer, deps.registry, pr, platform, skippedFor(pr.branch), opening)
    : undefined;
  const report = await reconcile(
    client,
    {
      owner: target.owner,
      repo: target.name,
      base: repo.defaultBranch,
      headSha: repo.headSha!,
      treeSha: repo.treeSha!,
      modes: repo.modes,
    },
    decided.desired,
    updates,
    config,
    deps.log,
    {
      botLogin: await deps.botLogin(),
      force: request.force,
      recordIgnore,
      hold,
      urgent: decided.urgent,
      describe,
      verdicts: decided.counts,
    },
  );
  if (dashboard) {
    if (dashboard.ignores !== ignoresBefore) decided = decide(verdicts, waiting);
    const state: DashboardState = {
      references: referenceStates(updates, {
        held: decided.held,
        lookups,
        group: config.group,
        prs: new Map(report.open.map((pr) => [pr.branch, pr.number])),
        outsideSchedule: hold,
        deferred: report.deferred,
        waiting,
      }),
      openPrs: report.open,
      ignores: dashboard.ignores,
      paused: null,
    };
    dashboard.state = state;
    if (dashboard.number !== null || state.references.length > 0 || state.ignores.length > 0)
      await writeDashboard(client, target, dashboard, renderDashboard(state), deps.log);
  }
  // A registry that failed while explaining may answer next cycle: do not settle on this answer.
  repo.settled = verdicts.unsure.size > 0 ? null : fingerprint;
  const wrote = report.created.length + report.updated.length + report.closed.length;
  if (wrote > 0 || dispatched > 0) deps.log.info({ repo: name, ...report, dispatched }, "reconciled");
  return { repo: name, kind: hold ? "outside-schedule" : "reconciled", report, dispatched };
}

/** The plan of a repository as read: every reference's update (unread files as skips first). */
export async function planRepository(
  repo: RepoMemory,
  config: RepinConfig,
  registry: Registry,
): Promise<{ updates: Update[]; planned: readonly Update[]; lookups: Lookups }> {
  const options = planOptionsFrom(config);
  const scanned = scanFiles(repo.files);
  const lookups = await lookUp(scanned, registry, options);
  const plan = planUpdates(scanned, lookups, options);
  return {
    updates: [...repo.unread.map((file) => fileSkip(file.path, reason("unread-file", file.reason))), ...plan.updates],
    planned: plan.updates,
    lookups,
  };
}

/** What bumps fix: advisory ids per bump (non-empty only), and bumps whose images failed in a way that may pass. */
interface Verdicts {
  readonly fixes: ReadonlyMap<Update, readonly string[]>;
  readonly unsure: ReadonlySet<Update>;
}
/** Current references waiting for an upstream fix: the advisory. */
type Waiting = ReadonlyMap<Update, string>;

/** Every bump that may become or is a PR (proposals and those held by minimumAge), explained. */
async function securityFixes(
  explainer: Explainer,
  registry: Registry,
  platform: string,
  decided: Decided,
): Promise<Verdicts> {
  const aged = [...decided.held].filter(([, state]) => state.kind === "held-minimum-age").map(([u]) => u);
  const candidates = [...new Set([...aged, ...decided.desired.flatMap((pr) => pr.updates)])].filter(isBump);
  const fixes = new Map<Update, readonly string[]>();
  const unsure = new Set<Update>();
  await mapLimit(candidates, 2, async (bump) => {
    const result = await explainer.fixes(registry, bump, platform);
    if (result.transient) unsure.add(bump);
    if (result.fixed.length > 0) fixes.set(bump, result.fixed);
  });
  return { fixes, unsure };
}

/** Current references whose image has advisories with a fix the tag has not shipped yet (cached inventories only). */
async function waitingForUpstream(
  explainer: Explainer,
  updates: readonly Update[],
  platform: string,
): Promise<Map<Update, string>> {
  const waiting = new Map<Update, string>();
  for (const u of updates) {
    if (u.action !== "none" || u.currentDigest === null || u.source === null) continue;
    // The pinned digest is the tag's current one, so every fixable advisory waits for upstream.
    const pending = await explainer.pending(u.currentDigest, platform);
    const [first] = pending;
    if (first)
      waiting.set(
        u,
        `${first.id} in ${first.package} (fixed in ${first.fixedIn})${pending.length > 1 ? ` and ${pending.length - 1} more` : ""}`,
      );
  }
  return waiting;
}

type Decided = ReturnType<typeof decideProposals>;

/**
 * The PRs to have, what is held back, what fixes advisories (skips minimumAge, and the schedule
 * as `urgent`), and the fingerprint that lets an unchanged cycle stop early. The fingerprint holds
 * the verdicts, not the feeds: a feed change that concerns none of this repository's images
 * changes nothing here.
 */
function decideProposals(
  planned: readonly Update[],
  updates: readonly Update[],
  repo: RepoMemory,
  config: RepinConfig,
  dashboard: DashboardMemory | null,
  firstSeen: Map<string, number>,
  now: Date,
  inSchedule: boolean,
  verdicts: Verdicts,
  waiting: Waiting,
) {
  const { fixes, unsure } = verdicts;
  const ignores = dashboard?.ignores ?? [];
  const minimumAge = config.minimumAge === undefined ? null : parseDuration(config.minimumAge);
  const { proposing, held } = holdBack(planned, ignores, minimumAge, firstSeen, now.getTime());
  const aged = [...held].filter(([u, state]) => state.kind === "held-minimum-age" && fixes.has(u)).map(([u]) => u);
  for (const u of aged) held.delete(u);
  const desired = desiredPrs([...proposing, ...aged], repo.files, config.group);
  const urgent = new Set(desired.filter((pr) => pr.updates.some((u) => fixes.has(u))).map((pr) => pr.branch));
  const skippedAge = new Set(desired.filter((pr) => pr.updates.some((u) => aged.includes(u))).map((pr) => pr.branch));
  // Advisories per branch, only where every bump's images answered.
  const counts = new Map(
    desired
      .filter((pr) => !pr.updates.some((u) => unsure.has(u)))
      .map((pr) => [pr.branch, new Set(pr.updates.flatMap((u) => fixes.get(u) ?? [])).size]),
  );
  const undecided = updates.filter((u) => u.action === "skip" && u.source !== null).map((u) => `${u.file}:${u.line}`);
  const fingerprint = shortHash(
    JSON.stringify([
      repo.headSha,
      repo.configText,
      desired.map((pr) => [pr.branch, pr.target, pr.content, counts.get(pr.branch) ?? null]),
      undecided,
      [...held.values()],
      ignores.map(ignoreId),
      inSchedule,
      [...urgent],
      updates.map((u) => waiting.get(u) ?? null),
    ]),
  );
  return { desired, held, fingerprint, urgent, skippedAge, counts };
}

/** A repin PR closed unmerged: "not this digest", recorded in the dashboard. */
function recordClosed(dashboard: DashboardMemory, marker: Marker, pr: number, now: Date): void {
  if (marker.digest === null) return;
  const colon = marker.key.lastIndexOf(":");
  dashboard.ignores = addIgnore(dashboard.ignores, {
    kind: "digest",
    image: marker.key.slice(0, colon),
    tag: marker.tag,
    digest: marker.digest,
    reason: "closed-unmerged",
    pr,
    at: now.toISOString(),
  });
}

/** While the config is invalid, an existing dashboard says so (with what it showed last); none is created. */
async function showPaused(client: GitHubClient, target: RepoTarget, deps: RepoDeps, reason: string): Promise<void> {
  const dashboard = await loadDashboard(client, target, deps.memory, await deps.botLogin());
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
  await writeDashboard(client, target, dashboard, next, deps.log);
}
