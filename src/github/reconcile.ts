import type { Update } from "../plan/index.js";
import {
  closingComment,
  commitMessage,
  contentTrailer,
  FOREIGN_NOTE,
  foreignComment,
  markerFor,
  parseMarker,
  renderBody,
  withMarker,
  type Marker,
} from "./body.js";
import { statusOf, type GitHubClient, type Log } from "./client.js";
import { BRANCH_PREFIX, branchName, GROUP_ALL_KEY, imageKey, type DesiredPr } from "./desired.js";
import { fixedCount, type PrExplanation } from "./explanation.js";

/**
 * Reconcile, don't replay (STYLE 7): list the PRs repin has (open ones, by branch prefix and
 * marker), compare with the PRs that should exist, then create, rewrite, close or leave alone.
 * A second run over the same plan finds everything in place and writes nothing.
 */
export interface ReconcileTarget {
  readonly owner: string;
  readonly repo: string;
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

export type ForceMode = "rebase" | "recreate";

export interface ReconcileOptions {
  /** The App's bot login (`<slug>[bot]`): the author of repin's PRs and commits. */
  readonly botLogin: string;
  /** Branches a person asked to rebuild now (`/repin rebase|recreate`, dashboard boxes). */
  readonly force?: ReadonlyMap<string, ForceMode>;
  /**
   * Dashboard on: a PR closed unmerged is recorded there as a digest ignore (once: its marker
   * then says `ignore`). Absent (`dashboard: false`): closed PRs' markers are the record.
   */
  readonly recordIgnore?: (marker: Marker, pr: number) => void;
  /** Outside the schedule: list the open PRs, write nothing but the `urgent` ones. */
  readonly hold?: boolean;
  /** Branches that fix advisories: written even on `hold`. */
  readonly urgent?: ReadonlySet<string>;
  /** The package diff and advisories of a PR; asked only when it is created or rewritten. */
  readonly describe?: (pr: DesiredPr, opening: boolean) => Promise<PrExplanation>;
  /**
   * Advisories each branch fixes, where known for sure: an open PR whose marker says otherwise
   * gets its body (and label) rewritten, without a new commit.
   */
  readonly verdicts?: ReadonlyMap<string, number>;
}

/** The label of PRs whose bump fixes an advisory. */
export const SECURITY_LABEL = "security";

interface OpenPr {
  readonly number: number;
  readonly branch: string;
  readonly headSha: string;
  readonly marker: Marker;
  readonly body: string;
}

export async function reconcile(
  client: GitHubClient,
  target: ReconcileTarget,
  desired: readonly DesiredPr[],
  updates: readonly Update[],
  settings: PrSettings,
  log: Log,
  options: ReconcileOptions,
): Promise<ReconcileReport> {
  const { owner, repo } = target;
  const report: ReconcileReport = {
    created: [],
    updated: [],
    closed: [],
    left: [],
    deferred: [],
    open: [],
    refused: [],
  };
  const open = await openRepinPrs(client, owner, repo, options.botLogin);
  let openCount = open.length;

  const propose = async (pr: DesiredPr): Promise<void> => {
    const existing = open.find((candidate) => candidate.branch === pr.branch);
    const describe = async (opening: boolean) => (options.describe ? await options.describe(pr, opening) : undefined);
    if (existing) {
      await keepUpToDate(
        client,
        target,
        pr,
        existing,
        report,
        log,
        options.botLogin,
        options.force?.get(pr.branch),
        () => describe(false),
        options.verdicts?.get(pr.branch),
      );
      return;
    }
    if (await declined(client, owner, repo, pr, options.recordIgnore)) return;
    if (settings.prConcurrentLimit > 0 && openCount >= settings.prConcurrentLimit) {
      report.deferred.push(pr.branch);
      return;
    }
    const explanation = await describe(true);
    const fixes = explanation ? fixedCount(explanation) : 0;
    const commit = await writeCommit(client, target, pr);
    if (!(await setBranch(client, owner, repo, pr.branch, commit, options.botLogin))) {
      log.warn(
        { repo: `${owner}/${repo}`, branch: pr.branch },
        "the branch exists with someone else's commit and no PR; left alone",
      );
      return;
    }
    const created = await client.request("POST /repos/{owner}/{repo}/pulls", {
      owner,
      repo,
      title: pr.title,
      head: pr.branch,
      base: target.base,
      body: renderBody(pr, markerFor(pr, commit, undefined, fixes), explanation),
    });
    openCount++;
    report.created.push(created.data.number);
    report.open.push({ number: created.data.number, branch: pr.branch });
    const labels = fixes > 0 ? [...new Set([...settings.labels, SECURITY_LABEL])] : settings.labels;
    await decorate(client, owner, repo, created.data.number, { ...settings, labels }, log);
  };

  if (options.hold) {
    // Outside the schedule nothing is closed or rewritten, except PRs that fix advisories.
    report.open = open.map((pr) => ({ number: pr.number, branch: pr.branch }));
    for (const pr of desired) if (options.urgent?.has(pr.branch)) await propose(pr);
    return report;
  }
  const wanted = new Set(desired.map((pr) => pr.branch));
  openCount = 0;
  for (const pr of open) {
    if (wanted.has(pr.branch) || !settled(pr.branch, updates)) {
      openCount++;
      report.open.push({ number: pr.number, branch: pr.branch });
      continue;
    }
    await closePr(client, target, pr);
    report.closed.push(pr.number);
  }
  for (const pr of desired) await propose(pr);
  for (const [branch] of options.force ?? []) {
    if (!wanted.has(branch))
      report.refused.push({
        branch,
        reason:
          "repin proposes nothing for this branch now (the change is on the base branch, or it is ignored or held back)",
      });
  }
  return report;
}

type Describe = () => Promise<PrExplanation | undefined>;

async function keepUpToDate(
  client: GitHubClient,
  target: ReconcileTarget,
  pr: DesiredPr,
  existing: OpenPr,
  report: ReconcileReport,
  log: Log,
  botLogin: string,
  force: ForceMode | undefined,
  describe: Describe,
  verdict: number | undefined,
): Promise<void> {
  const { owner, repo } = target;
  const marker = existing.marker;
  const where = { repo: `${owner}/${repo}`, pr: existing.number };
  if (existing.headSha !== marker.commit && force !== "recreate") {
    // A run that died between moving the branch and editing the body left its own commit there;
    // a commit message (trailer included) is easily copied, so only who made the commit counts.
    const head = await client.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", {
      owner,
      repo,
      commit_sha: existing.headSha,
    });
    const ours = madeByRepin(head.data, botLogin) ? contentTrailer(head.data.message) : null;
    if (ours === null) {
      if (!marker.foreign) await sayForeign(client, target, existing);
      report.left.push(existing.number);
      if (force === "rebase")
        report.refused.push({
          branch: pr.branch,
          reason: "someone else pushed to this branch; `/repin recreate` takes it back (their commits are dropped)",
        });
      log.info(where, "someone else pushed to the branch; left alone");
      return;
    }
    if (ours === pr.content && force === undefined) {
      await editPr(client, owner, repo, existing.number, pr, existing.headSha, marker.reviewOk, await describe(), log);
      report.updated.push(existing.number);
      return;
    }
  } else if (force === undefined && marker.content === pr.content && marker.target === pr.target) {
    if (verdict === undefined || verdict === (marker.fixes ?? 0)) return;
    // The feeds changed, the files did not: the body (and the label) say so, no new commit.
    await editPr(client, owner, repo, existing.number, pr, marker.commit, marker.reviewOk, await describe(), log);
    report.updated.push(existing.number);
    return;
  }
  // A person asked for changes: repin keeps its hands off until someone says rebase or recreate.
  const review = await latestBlockingReview(client, owner, repo, existing.number);
  if (force === undefined && review !== null && review > (marker.reviewOk ?? 0)) {
    report.left.push(existing.number);
    log.info(where, "changes requested on the PR; not updated until /repin rebase");
    return;
  }
  const explanation = await describe();
  const commit = await writeCommit(client, target, pr);
  await client.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
    owner,
    repo,
    ref: `heads/${pr.branch}`,
    sha: commit,
    force: true,
  });
  await editPr(client, owner, repo, existing.number, pr, commit, review ?? marker.reviewOk, explanation, log);
  report.updated.push(existing.number);
}

/**
 * The id of the newest review whose author still requests changes (their latest verdict is
 * CHANGES_REQUESTED), or null. Asked only when repin is about to rewrite the PR.
 */
async function latestBlockingReview(
  client: GitHubClient,
  owner: string,
  repo: string,
  number: number,
): Promise<number | null> {
  const verdicts = new Map<string, { id: number; state: string }>();
  for (let page = 1; page <= 10; page++) {
    const { data } = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
      owner,
      repo,
      pull_number: number,
      per_page: 100,
      page,
    });
    for (const review of data) {
      // Comments do not change a verdict; approvals, dismissals and new requests do.
      if (review.state === "COMMENTED" || review.state === "PENDING") continue;
      verdicts.set(review.user?.login ?? "", { id: Number(review.id), state: review.state });
    }
    if (data.length < 100) break;
  }
  const blocking = [...verdicts.values()].filter((v) => v.state === "CHANGES_REQUESTED").map((v) => v.id);
  return blocking.length === 0 ? null : Math.max(...blocking);
}

async function editPr(
  client: GitHubClient,
  owner: string,
  repo: string,
  number: number,
  pr: DesiredPr,
  commit: string,
  reviewOk: number | undefined,
  explanation: PrExplanation | undefined,
  log: Log,
): Promise<void> {
  const fixes = explanation ? fixedCount(explanation) : 0;
  await client.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", {
    owner,
    repo,
    pull_number: number,
    title: pr.title,
    body: renderBody(pr, markerFor(pr, commit, reviewOk, fixes), explanation),
  });
  if (fixes === 0) return;
  await client
    .request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
      owner,
      repo,
      issue_number: number,
      labels: [SECURITY_LABEL],
    })
    .catch((error: unknown) =>
      log.warn({ repo: `${owner}/${repo}`, pr: number, status: statusOf(error) }, "could not set labels"),
    );
}

/** Said once: the marker in the body records it, and a comment already there is not repeated. */
async function sayForeign(client: GitHubClient, target: ReconcileTarget, pr: OpenPr): Promise<void> {
  const { owner, repo } = target;
  const comments = await client.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner,
    repo,
    issue_number: pr.number,
    per_page: 100,
  });
  if (!comments.data.some((comment) => comment.body?.includes(FOREIGN_NOTE))) {
    await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner,
      repo,
      issue_number: pr.number,
      body: foreignComment(pr.branch),
    });
  }
  const current = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
    owner,
    repo,
    pull_number: pr.number,
  });
  const body = withMarker(current.data.body, { ...pr.marker, foreign: true });
  await client.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", {
    owner,
    repo,
    pull_number: pr.number,
    body,
  });
}

/**
 * Whether a closed PR on the branch declines this proposal. A merged one for the same target
 * does. A PR closed unmerged means "not this digest": with the dashboard on it is recorded there
 * once (the dashboard is then the record, and deleting its line undoes it); without it, the
 * closed PR's marker is the record (`ignore: image` declines every digest, `none` nothing).
 */
async function declined(
  client: GitHubClient,
  owner: string,
  repo: string,
  pr: DesiredPr,
  recordIgnore: ReconcileOptions["recordIgnore"],
): Promise<boolean> {
  const closed = await client.request("GET /repos/{owner}/{repo}/pulls", {
    owner,
    repo,
    state: "closed",
    head: `${owner}:${pr.branch}`,
    per_page: 100,
  });
  let declines = false;
  for (const candidate of closed.data) {
    const marker = parseMarker(candidate.body);
    if (marker === null || candidate.head.repo?.id !== candidate.base.repo.id) continue;
    if (candidate.merged_at !== null) {
      declines ||= marker.target === pr.target;
      continue;
    }
    if (recordIgnore && marker.key !== GROUP_ALL_KEY) {
      if (marker.ignore !== undefined) continue;
      recordIgnore(marker, candidate.number);
      await client.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", {
        owner,
        repo,
        pull_number: candidate.number,
        body: withMarker(candidate.body, { ...marker, ignore: "digest" }),
      });
      declines ||= marker.target === pr.target;
      continue;
    }
    if (marker.ignore === "none") continue;
    declines ||= marker.ignore === "image" || marker.target === pr.target;
  }
  return declines;
}

/**
 * Whether the base branch already has what the PR's branch is about: every reference of its image
 * and tag (any image for `repin/all`) is current, or none is left. An update held back (minimumAge,
 * an ignored newer digest, a declined one) or undecided (registry down) keeps the PR open as it is.
 */
function settled(branch: string, updates: readonly Update[]): boolean {
  const all = branch === branchName(GROUP_ALL_KEY);
  const related = updates.filter(
    (u) => u.source !== null && u.reason?.code !== "ignored" && (all || branchName(imageKey(u)) === branch),
  );
  return related.every((u) => u.action === "none");
}

async function closePr(client: GitHubClient, target: ReconcileTarget, pr: OpenPr): Promise<void> {
  const { owner, repo } = target;
  await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner,
    repo,
    issue_number: pr.number,
    body: closingComment(target.base),
  });
  // `ignore: none`: repin closed it, so it declines nothing.
  await client.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", {
    owner,
    repo,
    pull_number: pr.number,
    state: "closed",
    body: withMarker(pr.body, { ...pr.marker, ignore: "none" }),
  });
  // Only repin's own branch is deleted; a branch someone else pushed to stays.
  if (pr.headSha === pr.marker.commit) {
    await client
      .request("DELETE /repos/{owner}/{repo}/git/refs/{ref}", { owner, repo, ref: `heads/${pr.branch}` })
      .catch(() => undefined);
  }
}

/**
 * repin's open PRs: opened by its bot from a `repin/` branch of this repository. A body whose
 * marker a person edited out gets a blank one (its commit matches no head, so the branch is
 * checked before it is touched); the next body repin writes restores it.
 */
export async function openRepinPrs(
  client: GitHubClient,
  owner: string,
  repo: string,
  botLogin: string,
): Promise<OpenPr[]> {
  const found: OpenPr[] = [];
  for (let page = 1; ; page++) {
    const { data } = await client.request("GET /repos/{owner}/{repo}/pulls", {
      owner,
      repo,
      state: "open",
      per_page: 100,
      page,
    });
    for (const pull of data) {
      // Only branches of this repository: a fork cannot dress up as repin.
      const sameRepo = pull.head.repo?.id === pull.base.repo.id;
      if (!sameRepo || pull.user?.login !== botLogin || !pull.head.ref.startsWith(BRANCH_PREFIX)) continue;
      const marker = parseMarker(pull.body) ?? blankMarker;
      found.push({ number: pull.number, branch: pull.head.ref, headSha: pull.head.sha, marker, body: pull.body ?? "" });
    }
    if (data.length < 100) return found;
  }
}

const blankMarker: Marker = {
  v: 1,
  key: "",
  image: "",
  tag: "",
  newTag: null,
  digest: null,
  target: "",
  content: "",
  commit: "",
};

/** One commit on the base head with only the planned file contents; GitHub signs it (no author given). */
async function writeCommit(client: GitHubClient, target: ReconcileTarget, pr: DesiredPr): Promise<string> {
  const { owner, repo } = target;
  const tree = await client.request("POST /repos/{owner}/{repo}/git/trees", {
    owner,
    repo,
    base_tree: target.treeSha,
    tree: pr.changes.map((change) => ({
      path: change.path,
      mode: fileMode(target.modes.get(change.path)),
      type: "blob" as const,
      content: change.after,
    })),
  });
  const commit = await client.request("POST /repos/{owner}/{repo}/git/commits", {
    owner,
    repo,
    message: commitMessage(pr),
    tree: tree.data.sha,
    parents: [target.headSha],
  });
  return commit.data.sha;
}

type BlobMode = "100644" | "100755";
const fileMode = (mode: string | undefined): BlobMode => (mode === "100755" ? "100755" : "100644");

/**
 * Create the branch, or move it when repin left it behind (a run that died before opening the PR,
 * a PR closed unmerged). A branch whose head someone else made stays: false.
 */
async function setBranch(
  client: GitHubClient,
  owner: string,
  repo: string,
  branch: string,
  sha: string,
  botLogin: string,
): Promise<boolean> {
  try {
    await client.request("POST /repos/{owner}/{repo}/git/refs", { owner, repo, ref: `refs/heads/${branch}`, sha });
    return true;
  } catch (error) {
    if (statusOf(error) !== 422) throw error;
  }
  const ref = await client.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { owner, repo, ref: `heads/${branch}` });
  const head = await client.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", {
    owner,
    repo,
    commit_sha: ref.data.object.sha,
  });
  if (!madeByRepin(head.data, botLogin)) return false;
  await client.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
    owner,
    repo,
    ref: `heads/${branch}`,
    sha,
    force: true,
  });
  return true;
}

interface GitPerson {
  readonly email: string;
}

/**
 * A commit repin wrote: the App's bot (`<id>+<slug>[bot]@users.noreply.github.com`) is its author
 * and its committer (or GitHub, which may commit for it). A person's `git commit --amend` keeps
 * the author but makes them the committer; their own commits have them as author. The message,
 * `Repin-Content` trailer included, proves nothing: it is copied with the commit.
 */
function madeByRepin(commit: { readonly author: GitPerson; readonly committer: GitPerson }, botLogin: string): boolean {
  const isBot = (email: string) =>
    email === `${botLogin}@users.noreply.github.com` || email.endsWith(`+${botLogin}@users.noreply.github.com`);
  return isBot(commit.author.email) && (isBot(commit.committer.email) || commit.committer.email === GITHUB_COMMITTER);
}

/** The committer GitHub writes when it commits on someone's behalf (web-flow). */
const GITHUB_COMMITTER = "noreply@github.com";

/** Labels, assignees and reviewers from config; a failure here is logged, the PR stands. */
async function decorate(
  client: GitHubClient,
  owner: string,
  repo: string,
  number: number,
  settings: PrSettings,
  log: Log,
): Promise<void> {
  const steps: [string, () => Promise<unknown>][] = [];
  if (settings.labels.length > 0)
    steps.push([
      "labels",
      () =>
        client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
          owner,
          repo,
          issue_number: number,
          labels: [...settings.labels],
        }),
    ]);
  if (settings.assignees.length > 0)
    steps.push([
      "assignees",
      () =>
        client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/assignees", {
          owner,
          repo,
          issue_number: number,
          assignees: [...settings.assignees],
        }),
    ]);
  if (settings.reviewers.length > 0 || settings.teamReviewers.length > 0) {
    steps.push([
      "reviewers",
      () =>
        client.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
          owner,
          repo,
          pull_number: number,
          reviewers: [...settings.reviewers],
          team_reviewers: [...settings.teamReviewers],
        }),
    ]);
  }
  for (const [what, step] of steps) {
    await step().catch((error: unknown) =>
      log.warn({ repo: `${owner}/${repo}`, pr: number, status: statusOf(error) }, `could not set ${what}`),
    );
  }
}
