import type { Update } from "../plan/index.js";
import { closingComment, commitMessage, contentTrailer, FOREIGN_NOTE, foreignComment, markerFor, parseMarker, renderBody, type Marker } from "./body.js";
import { statusOf, type GitHubClient, type Log } from "./client.js";
import { BRANCH_PREFIX, GROUP_ALL_KEY, imageKey, type DesiredPr } from "./desired.js";

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
}

interface OpenPr {
  readonly number: number;
  readonly branch: string;
  readonly headSha: string;
  readonly marker: Marker;
}

export async function reconcile(
  client: GitHubClient,
  target: ReconcileTarget,
  desired: readonly DesiredPr[],
  updates: readonly Update[],
  settings: PrSettings,
  log: Log,
): Promise<ReconcileReport> {
  const { owner, repo } = target;
  const report: ReconcileReport = { created: [], updated: [], closed: [], left: [], deferred: [] };
  const open = await openRepinPrs(client, owner, repo);
  const wanted = new Set(desired.map((pr) => pr.branch));

  let openCount = 0;
  for (const pr of open) {
    if (wanted.has(pr.branch) || undecided(pr.marker, updates)) {
      openCount++;
      continue;
    }
    await closePr(client, target, pr);
    report.closed.push(pr.number);
  }

  for (const pr of desired) {
    const existing = open.find((candidate) => candidate.branch === pr.branch);
    if (existing) {
      await keepUpToDate(client, target, pr, existing, report, log);
      continue;
    }
    if (await declined(client, owner, repo, pr)) continue;
    if (settings.prConcurrentLimit > 0 && openCount >= settings.prConcurrentLimit) {
      report.deferred.push(pr.branch);
      continue;
    }
    const commit = await writeCommit(client, target, pr);
    await setBranch(client, owner, repo, pr.branch, commit);
    const created = await client.request("POST /repos/{owner}/{repo}/pulls", {
      owner,
      repo,
      title: pr.title,
      head: pr.branch,
      base: target.base,
      body: renderBody(pr, markerFor(pr, commit)),
    });
    openCount++;
    report.created.push(created.data.number);
    await decorate(client, owner, repo, created.data.number, settings, log);
  }
  return report;
}

async function keepUpToDate(client: GitHubClient, target: ReconcileTarget, pr: DesiredPr, existing: OpenPr, report: ReconcileReport, log: Log): Promise<void> {
  const { owner, repo } = target;
  const marker = existing.marker;
  if (existing.headSha !== marker.commit) {
    // A run that died between moving the branch and editing the body left its own commit there.
    const head = await client.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", { owner, repo, commit_sha: existing.headSha });
    const ours = contentTrailer(head.data.message);
    if (ours === null) {
      if (!marker.foreign) await sayForeign(client, target, existing);
      report.left.push(existing.number);
      log.info({ repo: `${owner}/${repo}`, pr: existing.number }, "someone else pushed to the branch; left alone");
      return;
    }
    if (ours === pr.content) {
      await editPr(client, owner, repo, existing.number, pr, existing.headSha);
      report.updated.push(existing.number);
      return;
    }
  } else if (marker.content === pr.content && marker.target === pr.target) {
    return;
  }
  const commit = await writeCommit(client, target, pr);
  await client.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", { owner, repo, ref: `heads/${pr.branch}`, sha: commit, force: true });
  await editPr(client, owner, repo, existing.number, pr, commit);
  report.updated.push(existing.number);
}

async function editPr(client: GitHubClient, owner: string, repo: string, number: number, pr: DesiredPr, commit: string): Promise<void> {
  await client.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: number, title: pr.title, body: renderBody(pr, markerFor(pr, commit)) });
}

/** Said once: the marker in the body records it, and a comment already there is not repeated. */
async function sayForeign(client: GitHubClient, target: ReconcileTarget, pr: OpenPr): Promise<void> {
  const { owner, repo } = target;
  const comments = await client.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner, repo, issue_number: pr.number, per_page: 100 });
  if (!comments.data.some((comment) => comment.body?.includes(FOREIGN_NOTE))) {
    await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner, repo, issue_number: pr.number, body: foreignComment(pr.branch) });
  }
  const current = await client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: pr.number });
  const body = (current.data.body ?? "").replace(/<!-- repin:\{.*?\} -->/, `<!-- repin:${JSON.stringify({ ...pr.marker, foreign: true })} -->`);
  await client.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: pr.number, body });
}

/** A PR repin closed unmerged (or merged) for the same target means "not this one again". */
async function declined(client: GitHubClient, owner: string, repo: string, pr: DesiredPr): Promise<boolean> {
  const closed = await client.request("GET /repos/{owner}/{repo}/pulls", { owner, repo, state: "closed", head: `${owner}:${pr.branch}`, per_page: 100 });
  return closed.data.some((candidate) => parseMarker(candidate.body)?.target === pr.target);
}

/** Whether the plan could not decide about this PR's image (registry down): then the PR stays. */
function undecided(marker: Marker, updates: readonly Update[]): boolean {
  const unsure = (u: Update) => u.action === "skip" && u.source !== null && u.reason !== "ignored by config";
  if (marker.key === GROUP_ALL_KEY) return updates.some(unsure);
  return updates.some((u) => imageKey(u) === marker.key && unsure(u));
}

async function closePr(client: GitHubClient, target: ReconcileTarget, pr: OpenPr): Promise<void> {
  const { owner, repo } = target;
  await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { owner, repo, issue_number: pr.number, body: closingComment(target.base) });
  await client.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: pr.number, state: "closed" });
  // Only repin's own branch is deleted; a branch someone else pushed to stays.
  if (pr.headSha === pr.marker.commit) {
    await client.request("DELETE /repos/{owner}/{repo}/git/refs/{ref}", { owner, repo, ref: `heads/${pr.branch}` }).catch(() => undefined);
  }
}

async function openRepinPrs(client: GitHubClient, owner: string, repo: string): Promise<OpenPr[]> {
  const found: OpenPr[] = [];
  for (let page = 1; ; page++) {
    const { data } = await client.request("GET /repos/{owner}/{repo}/pulls", { owner, repo, state: "open", per_page: 100, page });
    for (const pull of data) {
      const marker = parseMarker(pull.body);
      // Only branches of this repository: a fork cannot dress up as repin.
      const sameRepo = pull.head.repo?.id === pull.base.repo.id;
      if (marker && sameRepo && pull.head.ref.startsWith(BRANCH_PREFIX)) found.push({ number: pull.number, branch: pull.head.ref, headSha: pull.head.sha, marker });
    }
    if (data.length < 100) return found;
  }
}

/** One commit on the base head with only the planned file contents; GitHub signs it (no author given). */
async function writeCommit(client: GitHubClient, target: ReconcileTarget, pr: DesiredPr): Promise<string> {
  const { owner, repo } = target;
  const tree = await client.request("POST /repos/{owner}/{repo}/git/trees", {
    owner,
    repo,
    base_tree: target.treeSha,
    tree: pr.changes.map((change) => ({ path: change.path, mode: fileMode(target.modes.get(change.path)), type: "blob" as const, content: change.after })),
  });
  const commit = await client.request("POST /repos/{owner}/{repo}/git/commits", { owner, repo, message: commitMessage(pr), tree: tree.data.sha, parents: [target.headSha] });
  return commit.data.sha;
}

type BlobMode = "100644" | "100755";
const fileMode = (mode: string | undefined): BlobMode => (mode === "100755" ? "100755" : "100644");

/** Create the branch, or move it when a run that died before opening the PR left it behind. */
async function setBranch(client: GitHubClient, owner: string, repo: string, branch: string, sha: string): Promise<void> {
  try {
    await client.request("POST /repos/{owner}/{repo}/git/refs", { owner, repo, ref: `refs/heads/${branch}`, sha });
  } catch (error) {
    if (statusOf(error) !== 422) throw error;
    await client.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", { owner, repo, ref: `heads/${branch}`, sha, force: true });
  }
}

/** Labels, assignees and reviewers from config; a failure here is logged, the PR stands. */
async function decorate(client: GitHubClient, owner: string, repo: string, number: number, settings: PrSettings, log: Log): Promise<void> {
  const steps: [string, () => Promise<unknown>][] = [];
  if (settings.labels.length > 0) steps.push(["labels", () => client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", { owner, repo, issue_number: number, labels: [...settings.labels] })]);
  if (settings.assignees.length > 0) steps.push(["assignees", () => client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/assignees", { owner, repo, issue_number: number, assignees: [...settings.assignees] })]);
  if (settings.reviewers.length > 0 || settings.teamReviewers.length > 0) {
    steps.push([
      "reviewers",
      () => client.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", { owner, repo, pull_number: number, reviewers: [...settings.reviewers], team_reviewers: [...settings.teamReviewers] }),
    ]);
  }
  for (const [what, step] of steps) {
    await step().catch((error: unknown) => log.warn({ repo: `${owner}/${repo}`, pr: number, status: statusOf(error) }, `could not set ${what}`));
  }
}
