import type { Update } from "../plan/index.js";
import type { ClosedPr, ForceMode, OpenPr, PrAction } from "./actions.js";
import { branchName, GROUP_ALL_KEY, imageKey, type DesiredPr } from "./desired.js";

/**
 * Reconcile, don't replay (STYLE 7, 16): compare the PRs that should exist with the PRs that do,
 * and say what to do, as data. A rerun over what the last run left finds nothing to write.
 *
 * - An open PR that is not desired is closed once its image's updates are all settled (the change
 *   is on the base branch, or the image is gone); held back or undecided, it stays as it is.
 * - A desired PR with an open PR: left alone if someone else pushed to it (said once) or a person
 *   requested changes after the last override; rewritten when its files or target changed or a
 *   person forced it; its body rewritten when only the count of fixed advisories changed.
 * - A desired PR without one: not opened when a closed PR declines it (merged with this target;
 *   closed unmerged: "not this digest", recorded in the dashboard when there is one), deferred at
 *   prConcurrentLimit, else created.
 * - Outside the schedule (`hold`) only `urgent` branches (they fix advisories) are written.
 */
export interface DiffInput {
  readonly desired: readonly DesiredPr[];
  readonly open: readonly OpenPr[];
  /** Closed PRs of each desired branch that has no open PR (see `factsNeeded`). */
  readonly closed: ReadonlyMap<string, readonly ClosedPr[]>;
  /** Every update of the plan. */
  readonly updates: readonly Update[];
  readonly settings: DiffSettings;
}

export interface DiffSettings {
  /** 0: no limit. */
  readonly prConcurrentLimit: number;
  /** Outside the schedule: nothing is closed or rewritten, except `urgent` branches. */
  readonly hold?: boolean;
  readonly urgent?: ReadonlySet<string>;
  /** Branches a person asked to rebuild now (`/repin rebase|recreate`, dashboard boxes). */
  readonly force?: ReadonlyMap<string, ForceMode>;
  /** The dashboard is on: a PR closed unmerged is recorded there (else its marker is the record). */
  readonly recordClosed?: boolean;
  /** Advisories each branch fixes, where known for sure. */
  readonly verdicts?: ReadonlyMap<string, number>;
}

/**
 * What the diff needs read beyond the open PRs: who made their heads, their reviews, closed PRs by
 * branch. Asked twice: once with the open PRs as listed, once more with their `head`s filled in.
 */
export interface NeededFacts {
  /** Open PRs whose head is not the marker's commit, and not read yet. */
  readonly heads: readonly number[];
  /** Open PRs repin may rewrite: a person's "changes requested" may hold them. */
  readonly reviews: readonly number[];
  /** Desired branches with no open PR. */
  readonly closed: readonly string[];
}

export function factsNeeded(input: Omit<DiffInput, "closed">): NeededFacts {
  const heads: number[] = [];
  const reviews: number[] = [];
  const closed: string[] = [];
  const force = input.settings.force;
  for (const pr of inScope(input.desired, input.settings)) {
    const existing = input.open.find((candidate) => candidate.branch === pr.branch);
    if (!existing) {
      closed.push(pr.branch);
      continue;
    }
    const forced = force?.get(pr.branch);
    if (existing.headSha !== existing.marker.commit && forced !== "recreate") {
      // Whose the head is comes first; reviews matter only if repin may rewrite its own commit.
      if (existing.head === undefined) heads.push(existing.number);
      else if (existing.head.byRepin && (existing.head.content !== pr.content || forced !== undefined))
        reviews.push(existing.number);
    } else if (forced !== undefined || !sameProposal(existing, pr)) reviews.push(existing.number);
  }
  return { heads, reviews, closed };
}

export function prActions(input: DiffInput): PrAction[] {
  const { settings } = input;
  const actions: PrAction[] = [];
  const wanted = new Set(input.desired.map((pr) => pr.branch));
  let openCount = 0;
  for (const pr of input.open) {
    if (settings.hold || wanted.has(pr.branch)) openCount++;
    else if (!settled(pr.branch, input.updates)) {
      openCount++;
      actions.push({ kind: "leave", branch: pr.branch, number: pr.number, reason: "unsettled" });
    } else actions.push({ kind: "close", pr, deleteBranch: pr.headSha === pr.marker.commit });
  }
  for (const pr of inScope(input.desired, settings)) {
    const existing = input.open.find((candidate) => candidate.branch === pr.branch);
    if (existing) {
      actions.push(...keepUpToDate(pr, existing, settings));
      continue;
    }
    const { declines, records } = closedVerdict(pr, input.closed.get(pr.branch) ?? [], settings.recordClosed ?? false);
    actions.push(...records);
    if (declines) actions.push({ kind: "leave", branch: pr.branch, number: null, reason: "declined" });
    else if (settings.prConcurrentLimit > 0 && openCount >= settings.prConcurrentLimit)
      actions.push({ kind: "defer", branch: pr.branch, reason: "pr-concurrent-limit" });
    else {
      actions.push({ kind: "create", pr });
      openCount++;
    }
  }
  if (!settings.hold)
    for (const [branch] of settings.force ?? [])
      if (!wanted.has(branch)) actions.push({ kind: "refuse", branch, reason: "nothing-proposed" });
  return actions;
}

const inScope = (desired: readonly DesiredPr[], settings: DiffSettings): readonly DesiredPr[] =>
  settings.hold ? desired.filter((pr) => settings.urgent?.has(pr.branch)) : desired;

const sameProposal = (existing: OpenPr, pr: DesiredPr): boolean =>
  existing.marker.content === pr.content && existing.marker.target === pr.target;

function keepUpToDate(pr: DesiredPr, existing: OpenPr, settings: DiffSettings): PrAction[] {
  const { marker, number } = existing;
  const force = settings.force?.get(pr.branch);
  if (existing.headSha !== marker.commit && force !== "recreate") {
    // A commit message (trailer included) is easily copied: only who made the commit counts.
    const head = existing.head ?? { byRepin: false, content: null };
    if (!head.byRepin)
      return [
        ...(marker.foreign ? [] : [{ kind: "say-foreign", pr: existing } as const]),
        { kind: "leave", branch: pr.branch, number, reason: "foreign-push" },
        ...(force === "rebase" ? [{ kind: "refuse", branch: pr.branch, reason: "foreign-push" } as const] : []),
      ];
    if (head.content === pr.content && force === undefined)
      return [
        {
          kind: "retitle",
          number,
          pr,
          commit: existing.headSha,
          ...reviewOk(marker.reviewOk),
          reason: "interrupted-run",
        },
      ];
  } else if (force === undefined && sameProposal(existing, pr)) {
    const verdict = settings.verdicts?.get(pr.branch);
    if (verdict === undefined || verdict === (marker.fixes ?? 0)) return [];
    return [
      {
        kind: "retitle",
        number,
        pr,
        commit: marker.commit,
        ...reviewOk(marker.reviewOk),
        reason: "advisories-changed",
      },
    ];
  }
  // A person asked for changes: repin keeps its hands off until someone says rebase or recreate.
  const review = existing.blockingReview ?? null;
  if (force === undefined && review !== null && review > (marker.reviewOk ?? 0))
    return [{ kind: "leave", branch: pr.branch, number, reason: "changes-requested" }];
  return [{ kind: "rewrite", number, pr, ...reviewOk(review ?? marker.reviewOk) }];
}

const reviewOk = (id: number | undefined) => (id === undefined ? {} : { reviewOk: id });

/**
 * Whether closed PRs on the branch decline this proposal. A merged one with the same target does.
 * One closed unmerged means "not this digest": with the dashboard on it is recorded there once
 * (then the dashboard is the record, and deleting its line undoes it); without it, the closed PR's
 * marker is the record (`ignore: image` declines every digest, `none` nothing).
 */
export function closedVerdict(
  pr: DesiredPr,
  closed: readonly ClosedPr[],
  recordClosed: boolean,
): { declines: boolean; records: PrAction[] } {
  let declines = false;
  const records: PrAction[] = [];
  for (const candidate of closed) {
    const { marker } = candidate;
    if (candidate.merged) {
      declines ||= marker.target === pr.target;
      continue;
    }
    if (recordClosed && marker.key !== GROUP_ALL_KEY) {
      if (marker.ignore !== undefined) continue;
      records.push({ kind: "record-closed", closed: candidate });
      declines ||= declinedBy(marker, pr);
      continue;
    }
    if (marker.ignore === "none") continue;
    declines ||= marker.ignore === "image" || declinedBy(marker, pr);
  }
  return { declines, records };
}

/** A PR closed unmerged declines its target; a tag update's, that new tag whatever its digest ("not this tag"). */
function declinedBy(marker: ClosedPr["marker"], pr: DesiredPr): boolean {
  if (marker.key !== GROUP_ALL_KEY && marker.newTag !== null)
    return marker.key === pr.key && marker.newTag === pr.newTag;
  return marker.target === pr.target;
}

/**
 * Whether the base branch already has what the PR's branch is about: every reference of its image
 * and tag (any image for `repin/all`) is current, or none is left. An update held back (minimumAge,
 * an ignored newer digest, a declined one) or undecided (registry down) keeps the PR open as it is.
 */
export function settled(branch: string, updates: readonly Update[]): boolean {
  const all = branch === branchName(GROUP_ALL_KEY);
  const related = updates.filter(
    (u) => u.source !== null && u.reason?.code !== "ignored" && (all || branchName(imageKey(u)) === branch),
  );
  return related.every((u) => u.action === "none");
}
