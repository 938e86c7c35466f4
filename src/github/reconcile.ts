import type { Update } from "../plan/index.js";
import {
  BLANK_MARKER,
  BRANCH_PREFIX,
  blockingReview,
  factsNeeded,
  isTreeRepinWrites,
  parseMarker,
  prActions,
  refusalText,
  trustedCommit,
  type ClosedPr,
  type DesiredPr,
  type DiffSettings,
  type ForceMode,
  type Marker,
  type MarkerKey,
  type OpenPr,
  type PrAction,
  type PrExplanation,
} from "../proposals/index.js";
import type { Log, RepoApi } from "./client.js";
import { readTree } from "./git.js";
import { closedPulls, openPulls, reviewsOf } from "./pulls.js";
import { carryOut, type Executor } from "./writes.js";

/**
 * Reconcile, don't replay (STYLE 7, 16): read repin's PRs through the port (open ones, by bot,
 * branch prefix and marker; then only the facts the diff needs), ask src/proposals for the
 * actions, and carry them out. A second run over the same plan finds everything in place and
 * writes nothing.
 */
export interface ReconcileTarget {
  readonly base: string;
  readonly headSha: string;
  readonly treeSha: string;
  readonly modes: ReadonlyMap<string, string>;
}

export interface PrSettings {
  readonly labels: readonly string[];
  readonly assignees: readonly string[];
  readonly reviewers: readonly string[];
  readonly teamReviewers: readonly string[];
  /** 0: no limit. */
  readonly prConcurrentLimit: number;
}

export interface ReconcileJob {
  readonly target: ReconcileTarget;
  readonly desired: readonly DesiredPr[];
  readonly updates: readonly Update[];
  readonly settings: PrSettings;
  readonly log: Log;
  /** The App's bot login (`<slug>[bot]`): the author of repin's PRs. */
  readonly botLogin: string;
  /** Seals the commit a marker names (SPEC 10); derived from the App's private key. */
  readonly markerKey: MarkerKey;
  /** Branches a person asked to rebuild now (`/repin rebase|recreate`, dashboard boxes). */
  readonly force?: ReadonlyMap<string, ForceMode>;
  /** Dashboard on: a PR closed unmerged is recorded there as a digest (or tag) ignore, written at once. */
  readonly recordIgnore?: (marker: Marker, pr: number) => Promise<void>;
  /** Outside the schedule: write nothing but the `urgent` branches. */
  readonly hold?: boolean;
  readonly urgent?: ReadonlySet<string>;
  /** The package diff and advisories of a PR; asked only when it is created or rewritten. */
  readonly describe?: (pr: DesiredPr, opening: boolean) => Promise<PrExplanation>;
  /** Advisories each branch fixes, where known for sure. */
  readonly verdicts?: ReadonlyMap<string, number>;
}

export interface ReconcileReport {
  created: number[];
  updated: number[];
  closed: number[];
  left: number[];
  deferred: string[];
  /** Open repin PRs after reconciling (for the dashboard). */
  open: { number: number; branch: string }[];
  /** Forced branches repin could not rebuild, with why (said in the command's reply). */
  refused: { branch: string; reason: string }[];
}

export async function reconcile(api: RepoApi, job: ReconcileJob): Promise<ReconcileReport> {
  const settings: DiffSettings = {
    prConcurrentLimit: job.settings.prConcurrentLimit,
    hold: job.hold ?? false,
    ...(job.urgent && { urgent: job.urgent }),
    ...(job.force && { force: job.force }),
    recordClosed: job.recordIgnore !== undefined,
    ...(job.verdicts && { verdicts: job.verdicts }),
  };
  const state = { desired: job.desired, updates: job.updates, settings };
  const listed = await repinPrs(api, job);
  const heads = await withHeads(api, job, listed, factsNeeded({ ...state, open: listed }).heads);
  const needed = factsNeeded({ ...state, open: heads });
  const open = await withReviews(api, heads, needed.reviews);
  const closed = new Map<string, ClosedPr[]>();
  for (const branch of needed.closed) closed.set(branch, await closedRepinPrs(api, branch));
  // Commits repin left on branches whose PRs were closed: a new PR may move such a branch.
  const leftBehind = new Map([...closed].map(([branch, prs]) => [branch, new Set(prs.map((pr) => pr.marker.commit))]));
  const actions = prActions({ desired: job.desired, open, closed, updates: job.updates, settings });

  const report: ReconcileReport = {
    created: [],
    updated: [],
    closed: [],
    left: [],
    deferred: [],
    open: [],
    refused: [],
  };
  const closing = new Set(actions.flatMap((action) => (action.kind === "close" ? [action.pr.number] : [])));
  report.open = open.filter((pr) => !closing.has(pr.number)).map((pr) => ({ number: pr.number, branch: pr.branch }));
  const executor: Executor = { api, job, leftBehind };
  for (const action of actions) record(report, action, await carryOut(executor, action));
  return report;
}

/** What an action did, in the report: `number` is the PR it created, null when it wrote nothing. */
function record(report: ReconcileReport, action: PrAction, created: number | null): void {
  switch (action.kind) {
    case "create":
      if (created === null) return;
      report.created.push(created);
      report.open.push({ number: created, branch: action.pr.branch });
      return;
    case "rewrite":
    case "retitle":
      report.updated.push(action.number);
      return;
    case "close":
      report.closed.push(action.pr.number);
      return;
    case "leave":
      if (action.number !== null && (action.reason === "foreign-push" || action.reason === "changes-requested"))
        report.left.push(action.number);
      return;
    case "defer":
      report.deferred.push(action.branch);
      return;
    case "refuse":
      report.refused.push({ branch: action.branch, reason: refusalText(action.reason) });
      return;
    case "record-closed":
    case "say-foreign":
      return;
  }
}

/**
 * repin's open PRs: from a `repin/` branch of this repository (a fork cannot dress up as repin;
 * only writers make branches here), opened by its own login or carrying repin's marker — the
 * marker is how the App and the Action recognise each other's PRs (SPEC 14). A body whose marker
 * a person edited out gets a blank one, and a marker whose commit is not sealed with this key (a
 * writer edited it, or the other side seals with another key) names no commit: either way its
 * commit matches no head, so the branch is checked (its tree must be exactly what repin writes)
 * before it is touched; the next body repin writes restores it.
 */
async function repinPrs(api: RepoApi, job: ReconcileJob): Promise<OpenPr[]> {
  return (await openPulls(api)).flatMap((pull) => {
    if (!pull.sameRepo || !pull.branch.startsWith(BRANCH_PREFIX)) return [];
    const parsed = parseMarker(pull.body);
    if (parsed === null && pull.author !== job.botLogin) return [];
    const marker = parsed ?? BLANK_MARKER;
    return [
      {
        number: pull.number,
        branch: pull.branch,
        headSha: pull.headSha,
        marker: { ...marker, commit: trustedCommit(marker, pull.branch, job.markerKey) },
        body: pull.body ?? "",
      },
    ];
  });
}

/**
 * Whether the heads the diff asks about are repin's: a head that is not the sealed commit is
 * repin's only when its tree is exactly what repin writes for the PR now (a run that died between
 * moving the branch and editing the PR). Who the commit says wrote it, and its message, count for
 * nothing: both are free text.
 */
async function withHeads(
  api: RepoApi,
  job: ReconcileJob,
  open: readonly OpenPr[],
  numbers: readonly number[],
): Promise<OpenPr[]> {
  const result: OpenPr[] = [];
  let base: Awaited<ReturnType<typeof readTree>> | undefined;
  for (const pr of open) {
    if (!numbers.includes(pr.number)) {
      result.push(pr);
      continue;
    }
    const desired = job.desired.find((candidate) => candidate.branch === pr.branch);
    let byRepin = false;
    if (desired) {
      base ??= await readTree(api, job.target.treeSha);
      byRepin = await treeIsRepins(api, base, pr.headSha, desired);
    }
    result.push({ ...pr, head: { byRepin, content: byRepin && desired ? desired.content : null } });
  }
  return result;
}

/** Whether `sha`'s tree is what repin writes for `pr` on the base tree (a truncated listing is not). */
export async function treeIsRepins(
  api: RepoApi,
  base: Awaited<ReturnType<typeof readTree>>,
  sha: string,
  pr: DesiredPr,
): Promise<boolean> {
  const head = await readTree(api, sha);
  if (base.truncated || head.truncated) return false;
  const files = pr.changes.map((change) => ({ path: change.path, content: change.after }));
  return isTreeRepinWrites(base.blobs, head.blobs, files);
}

/** The reviews the diff asks about, each PR's reduced to the newest blocking one. */
async function withReviews(api: RepoApi, open: readonly OpenPr[], numbers: readonly number[]): Promise<OpenPr[]> {
  const result: OpenPr[] = [];
  for (const pr of open)
    result.push(
      numbers.includes(pr.number) ? { ...pr, blockingReview: blockingReview(await reviewsOf(api, pr.number)) } : pr,
    );
  return result;
}

/** The closed PRs of a branch that carry repin's marker, from this repository. */
async function closedRepinPrs(api: RepoApi, branch: string): Promise<ClosedPr[]> {
  return (await closedPulls(api, branch)).flatMap((pull) => {
    const marker = parseMarker(pull.body);
    return marker === null || !pull.sameRepo
      ? []
      : [{ number: pull.number, marker, body: pull.body ?? "", merged: pull.merged }];
  });
}
