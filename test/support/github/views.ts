// Helpers the routes share: pagination, git-backed lookups, and the context
// objects the body builders in shapes.ts need.
import {
  changedFiles,
  isoSeconds,
  mergeBase,
  mergeTrees,
  readCommit,
  resolveCommit,
  revList,
  type GitPerson,
} from "./git.js";
import { HttpError, type RequestContext, type Shell } from "./http.js";
import * as shapes from "./shapes.js";
import type { Urls } from "./shapes.js";
import { account, type Account, type Issue, type Repo, type State } from "./state.js";

export function nowIso(shell: Shell): string {
  return isoSeconds(shell.now());
}

export function paginate<T>(ctx: RequestContext, items: T[]): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(ctx.query.get("per_page") ?? 30) || 30));
  const page = Math.max(1, Number(ctx.query.get("page") ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) => {
    const query = new URLSearchParams(ctx.query);
    query.set("page", String(n));
    return `<${ctx.urls.api}${ctx.path}?${query.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"), link(1, "first"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(", ") } : {},
  };
}

export function ownerAccount(state: State, repo: Repo): Account {
  return account(state, repo.owner);
}

export function openIssueCount(repo: Repo): number {
  return repo.issues.filter((i) => i.state === "open").length;
}

export function repoBody(shell: Shell, urls: Urls, repo: Repo) {
  return shapes.repository(urls, repo, ownerAccount(shell.state, repo), openIssueCount(repo));
}

/** The login behind a commit's email: `<id>+<login>@users.noreply.github.com` or `<login>@users.noreply.github.com`. */
export function accountForPerson(state: State, person: GitPerson): Account | null {
  const m = /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/i.exec(person.email);
  return m?.[1] ? account(state, m[1]) : null;
}

export function personFor(acct: Account, date: string): GitPerson {
  return { name: acct.login, email: `${acct.id}+${acct.login}@users.noreply.github.com`, date };
}

export async function commitBody(shell: Shell, urls: Urls, repo: Repo, sha: string) {
  const c = await readCommit(repo.dir, sha);
  return shapes.commit(
    urls,
    repo,
    c,
    repo.verified.has(sha),
    accountForPerson(shell.state, c.author),
    accountForPerson(shell.state, c.committer),
  );
}

export async function requireCommit(repo: Repo, rev: string): Promise<string> {
  const sha = await resolveCommit(repo.dir, rev);
  if (!sha) throw new HttpError(422, `No commit found for SHA: ${rev}`);
  return sha;
}

export function findIssue(repo: Repo, number: string | number): Issue {
  const issue = repo.issues.find((i) => i.number === Number(number));
  if (!issue) throw new HttpError(404, "Not Found");
  return issue;
}

export function findPull(repo: Repo, number: string | number): Issue & { pull: NonNullable<Issue["pull"]> } {
  const issue = findIssue(repo, number);
  if (!issue.pull) throw new HttpError(404, "Not Found");
  return issue as Issue & { pull: NonNullable<Issue["pull"]> };
}

/** An open PR follows its branches; a closed one keeps the shas it had. */
export async function refreshPull(repo: Repo, issue: Issue): Promise<void> {
  const pull = issue.pull;
  if (!pull || issue.state !== "open") return;
  pull.headSha = (await resolveCommit(repo.dir, `refs/heads/${pull.headRef}`)) ?? pull.headSha;
  pull.baseSha = (await resolveCommit(repo.dir, `refs/heads/${pull.baseRef}`)) ?? pull.baseSha;
}

export function issueContext(shell: Shell, repo: Repo, issue: Issue): shapes.IssueContext {
  const state = shell.state;
  return {
    user: account(state, issue.user),
    assignees: issue.assignees.map((login) => account(state, login)),
    labels: issue.labels.flatMap((name) => repo.labels.filter((l) => l.name === name)),
    comments: repo.comments.filter((c) => c.issueNumber === issue.number).length,
    closedBy: issue.closedBy ? account(state, issue.closedBy) : null,
  };
}

export function pullContext(shell: Shell, urls: Urls, repo: Repo, issue: Issue): shapes.PullContext {
  const state = shell.state;
  return {
    ...issueContext(shell, repo, issue),
    repoBody: repoBody(shell, urls, repo),
    owner: ownerAccount(state, repo),
    requestedReviewers: (issue.pull?.requestedReviewers ?? []).map((login) => account(state, login)),
    mergedBy: issue.pull?.mergedBy ? account(state, issue.pull.mergedBy) : null,
  };
}

export async function pullSimpleBody(shell: Shell, urls: Urls, repo: Repo, issue: Issue) {
  await refreshPull(repo, issue);
  return shapes.pullSimple(urls, repo, issue, pullContext(shell, urls, repo, issue));
}

export async function pullFullBody(shell: Shell, urls: Urls, repo: Repo, issue: Issue) {
  await refreshPull(repo, issue);
  const pull = issue.pull;
  if (!pull) throw new HttpError(404, "Not Found");
  const base = (await mergeBase(repo.dir, pull.baseSha, pull.headSha)) ?? pull.baseSha;
  const commits = await revList(repo.dir, pull.headSha, base);
  const files = await changedFiles(repo.dir, base, pull.headSha).catch(() => []);
  const mergeable = issue.state === "open" ? (await mergeTrees(repo.dir, pull.baseSha, pull.headSha)) !== null : null;
  return shapes.pullFull(urls, repo, issue, pullContext(shell, urls, repo, issue), {
    commits: commits.length,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changedFiles: files.length,
    mergeable,
  });
}

export async function issueBody(shell: Shell, urls: Urls, repo: Repo, issue: Issue) {
  await refreshPull(repo, issue);
  return shapes.issue(urls, repo, issue, issueContext(shell, repo, issue));
}

/** The acting account of a token request (the App's bot for installation tokens). */
export function actor(ctx: RequestContext): Account {
  if (ctx.auth.kind === "app") throw new HttpError(403, "Resource not accessible by integration");
  return ctx.auth.actor;
}

export function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== "string" || value.length === 0) {
    throw new HttpError(422, "Invalid request.", { errors: [{ resource: "Request", field, code: "missing_field" }] });
  }
  return value;
}
