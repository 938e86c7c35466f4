import {
  closingComment,
  commitMessage,
  FOREIGN_NOTE,
  fixedCount,
  foreignComment,
  markerFor,
  renderBody,
  sealed,
  SECURITY_LABEL,
  withMarker,
  type DesiredPr,
  type OpenPr,
  type PrAction,
  type PrExplanation,
} from "../proposals/index.js";
import { statusOf, type RepoApi } from "./client.js";
import { branchHead, createBranch, deleteBranch, moveBranch, readTree, writeCommit } from "./git.js";
import { addAssignees, addComment, addLabels, commentBodies } from "./issues.js";
import { editPull, openPull, readPull, requestReviewers } from "./pulls.js";
import { treeIsRepins, type ReconcileJob } from "./reconcile.js";

/**
 * Carrying out one PR action through the port (the decisions are src/proposals'). Bodies are
 * rendered here because the explanation is read only now, for the PRs that are written.
 */
export interface Executor {
  readonly api: RepoApi;
  readonly job: ReconcileJob;
  /** By branch: the commits named by the markers of its closed repin PRs. */
  readonly leftBehind: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Does `action`; the number of the PR it opened, else null. */
export async function carryOut(executor: Executor, action: PrAction): Promise<number | null> {
  const { api, job } = executor;
  const where = { repo: `${api.owner}/${api.repo}`, branch: "branch" in action ? action.branch : undefined };
  switch (action.kind) {
    case "create":
      return create(executor, action.pr);
    case "rewrite": {
      const explanation = await job.describe?.(action.pr, false);
      const commit = await commitFor(executor, action.pr, explanation);
      await moveBranch(api, action.pr.branch, commit);
      await editPr(executor, action.number, action.pr, { commit, reviewOk: action.reviewOk, explanation });
      return null;
    }
    case "retitle": {
      const explanation = await job.describe?.(action.pr, false);
      await editPr(executor, action.number, action.pr, { ...action, explanation });
      return null;
    }
    case "close":
      await addComment(api, action.pr.number, closingComment(job.target.base));
      // `ignore: none`: repin closed it, so it declines nothing.
      await editPull(api, action.pr.number, {
        state: "closed",
        body: withMarker(action.pr.body, { ...action.pr.marker, ignore: "none" }),
      });
      // Only repin's own branch is deleted; a branch someone else pushed to stays.
      if (action.deleteBranch) await deleteBranch(api, action.pr.branch);
      return null;
    case "record-closed": {
      const { closed } = action;
      // The dashboard first: a marker that says "recorded" is never ahead of the record.
      await job.recordIgnore?.(closed.marker, closed.number);
      await editPull(api, closed.number, { body: withMarker(closed.body, { ...closed.marker, ignore: "digest" }) });
      return null;
    }
    case "leave":
      if (action.reason === "foreign-push")
        job.log.info({ ...where, pr: action.number }, "someone else pushed to the branch; left alone");
      else if (action.reason === "changes-requested")
        job.log.info({ ...where, pr: action.number }, "changes requested on the PR; not updated until /repin rebase");
      return null;
    case "say-foreign":
      await sayForeign(api, action.pr);
      return null;
    case "defer":
    case "refuse":
      return null;
  }
}

async function create(executor: Executor, pr: DesiredPr): Promise<number | null> {
  const { api, job } = executor;
  const explanation = await job.describe?.(pr, true);
  const fixes = explanation ? fixedCount(explanation) : 0;
  const commit = await commitFor(executor, pr, explanation);
  if (!(await setBranch(executor, pr, commit))) {
    job.log.warn(
      { repo: `${api.owner}/${api.repo}`, branch: pr.branch },
      "the branch exists with someone else's commit and no PR; left alone",
    );
    return null;
  }
  const number = await openPull(api, {
    title: pr.title,
    branch: pr.branch,
    base: job.target.base,
    body: renderBody(pr, sealed(markerFor(pr, commit, undefined, fixes), pr.branch, job.markerKey), explanation),
  });
  await decorate(executor, number, fixes > 0);
  return number;
}

/** One commit on the base head with only the planned file contents. */
function commitFor(executor: Executor, pr: DesiredPr, explanation: PrExplanation | undefined): Promise<string> {
  const { target } = executor.job;
  return writeCommit(executor.api, {
    baseTree: target.treeSha,
    parent: target.headSha,
    files: pr.changes.map((change) => ({
      path: change.path,
      mode: target.modes.get(change.path),
      content: change.after,
    })),
    message: commitMessage(pr, explanation),
  });
}

/**
 * Create the branch, or move it when repin left it behind: a run that died before opening the PR
 * (the head's tree is exactly what repin writes now), or a PR closed unmerged (the head is the
 * commit its marker names; unsealed markers of older PRs count too, since moving the branch
 * adopts nothing). A branch whose head someone else made stays: false.
 */
async function setBranch(executor: Executor, pr: DesiredPr, sha: string): Promise<boolean> {
  const { api, job } = executor;
  if (await createBranch(api, pr.branch, sha)) return true;
  const head = await branchHead(api, pr.branch);
  const ours =
    (executor.leftBehind.get(pr.branch)?.has(head) ?? false) ||
    (await treeIsRepins(api, await readTree(api, job.target.treeSha), head, pr));
  if (!ours) return false;
  await moveBranch(api, pr.branch, sha);
  return true;
}

interface Edit {
  readonly commit: string;
  readonly reviewOk?: number | undefined;
  readonly explanation?: PrExplanation | undefined;
}

/** Title and body (marker included) rewritten; a body that says it fixes advisories gets the security label. */
async function editPr(executor: Executor, number: number, pr: DesiredPr, edit: Edit): Promise<void> {
  const { api, job } = executor;
  const fixes = edit.explanation ? fixedCount(edit.explanation) : 0;
  await editPull(api, number, {
    title: pr.title,
    body: renderBody(
      pr,
      sealed(markerFor(pr, edit.commit, edit.reviewOk, fixes), pr.branch, job.markerKey),
      edit.explanation,
    ),
  });
  if (fixes === 0) return;
  await addLabels(api, number, [SECURITY_LABEL]).catch((error: unknown) =>
    job.log.warn({ repo: `${api.owner}/${api.repo}`, pr: number, status: statusOf(error) }, "could not set labels"),
  );
}

/** Said once: the marker in the body records it, and a comment already there is not repeated. */
async function sayForeign(api: RepoApi, pr: OpenPr): Promise<void> {
  if (!(await commentBodies(api, pr.number)).some((body) => body.includes(FOREIGN_NOTE)))
    await addComment(api, pr.number, foreignComment(pr.branch));
  const current = await readPull(api, pr.number);
  await editPull(api, pr.number, { body: withMarker(current.body, { ...pr.marker, foreign: true }) });
}

/** Labels, assignees and reviewers from config (and `security`); a failure here is logged, the PR stands. */
async function decorate(executor: Executor, number: number, security: boolean): Promise<void> {
  const { api, job } = executor;
  const { settings } = job;
  const labels = security ? [...new Set([...settings.labels, SECURITY_LABEL])] : settings.labels;
  const steps: [string, () => Promise<unknown>][] = [];
  if (labels.length > 0) steps.push(["labels", () => addLabels(api, number, labels)]);
  if (settings.assignees.length > 0) steps.push(["assignees", () => addAssignees(api, number, settings.assignees)]);
  if (settings.reviewers.length > 0 || settings.teamReviewers.length > 0)
    steps.push(["reviewers", () => requestReviewers(api, number, settings.reviewers, settings.teamReviewers)]);
  for (const [what, step] of steps) {
    await step().catch((error: unknown) =>
      job.log.warn({ repo: `${api.owner}/${api.repo}`, pr: number, status: statusOf(error) }, `could not set ${what}`),
    );
  }
}
