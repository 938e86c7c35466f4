// Pull request endpoints and the merge both the API and the test helper use.
import * as git from "./git.js";
import { HttpError, type Route, type Shell } from "./http.js";
import * as shapes from "./shapes.js";
import { account, nextIssueNumber, type Issue, type Repo } from "./state.js";
import { collaboratorLevel } from "./routes-repos.js";
import {
  actor,
  commitBody,
  findPull,
  nowIso,
  paginate,
  personFor,
  pullFullBody,
  pullSimpleBody,
  refreshPull,
  requireString,
} from "./views.js";

export type MergeMethod = "merge" | "squash" | "fast-forward";

function validationFailed(errors: Record<string, unknown>[]): HttpError {
  return new HttpError(422, "Validation Failed", {
    errors,
    documentation_url: "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
  });
}

function branchOf(head: string): string {
  const colon = head.indexOf(":");
  return colon === -1 ? head : head.slice(colon + 1);
}

/** Merges a PR on its base branch with real git (a merge commit, a squash, or a fast-forward). */
export async function mergePullRequest(
  shell: Shell,
  repo: Repo,
  issue: Issue,
  options: { by: string; method?: MergeMethod; title?: string; message?: string },
): Promise<string> {
  await refreshPull(repo, issue);
  const pull = issue.pull;
  if (!pull || issue.state !== "open") throw new HttpError(405, "Pull Request is not mergeable");
  const method = options.method ?? "merge";
  const date = nowIso(shell);
  const by = account(shell.state, options.by);
  const githubCommitter = { name: "GitHub", email: "noreply@github.com", date };
  let sha: string;
  if (method === "fast-forward") {
    if (!(await git.isAncestor(repo.dir, pull.baseSha, pull.headSha)))
      throw new HttpError(405, "Pull Request is not mergeable");
    sha = pull.headSha;
  } else {
    const tree = await git.mergeTrees(repo.dir, pull.baseSha, pull.headSha);
    if (!tree) throw new HttpError(405, "Merge conflict");
    const title =
      options.title ??
      (method === "squash"
        ? `${issue.title} (#${issue.number})`
        : `Merge pull request #${issue.number} from ${repo.owner}/${pull.headRef}`);
    const message = `${title}\n\n${options.message ?? (method === "squash" ? "" : issue.title)}`.trimEnd() + "\n";
    const parents = method === "squash" ? [pull.baseSha] : [pull.baseSha, pull.headSha];
    sha = await git.commitTree(repo.dir, tree, parents, message, personFor(by, date), githubCommitter);
    repo.verified.add(sha);
  }
  await git.updateRef(repo.dir, `refs/heads/${pull.baseRef}`, sha);
  repo.pushedAt = date;
  Object.assign(pull, { merged: true, mergedAt: date, mergedBy: by.login, mergeCommitSha: sha });
  Object.assign(issue, { state: "closed", closedAt: date, closedBy: by.login, updatedAt: date });
  return sha;
}

export async function openPullRequest(
  shell: Shell,
  repo: Repo,
  input: {
    head: string;
    base: string;
    title: string;
    body: string | null;
    user: string;
    draft?: boolean;
    maintainerCanModify?: boolean;
  },
): Promise<Issue> {
  const headRef = branchOf(input.head);
  const headSha = await git.resolveCommit(repo.dir, `refs/heads/${headRef}`);
  const baseSha = await git.resolveCommit(repo.dir, `refs/heads/${input.base}`);
  if (!baseSha) throw validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
  if (!headSha) throw validationFailed([{ resource: "PullRequest", field: "head", code: "invalid" }]);
  if ((await git.revList(repo.dir, headSha, baseSha)).length === 0) {
    throw validationFailed([
      { resource: "PullRequest", code: "custom", message: `No commits between ${input.base} and ${headRef}` },
    ]);
  }
  // No await between this check and the push below: concurrent creates cannot both pass.
  const duplicate = repo.issues.find(
    (i) => i.state === "open" && i.pull?.headRef === headRef && i.pull.baseRef === input.base,
  );
  if (duplicate)
    throw validationFailed([
      {
        resource: "PullRequest",
        code: "custom",
        message: `A pull request already exists for ${repo.owner}:${headRef}.`,
      },
    ]);
  const date = nowIso(shell);
  const issue: Issue = {
    id: shell.state.nextId(),
    pullId: shell.state.nextId(),
    number: nextIssueNumber(repo),
    title: input.title,
    body: input.body,
    state: "open",
    user: input.user,
    labels: [],
    assignees: [],
    createdAt: date,
    updatedAt: date,
    closedAt: null,
    closedBy: null,
    pull: {
      headRef,
      baseRef: input.base,
      headSha,
      baseSha,
      draft: input.draft ?? false,
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      requestedReviewers: [],
      requestedTeams: [],
      reviews: [],
      maintainerCanModify: input.maintainerCanModify ?? true,
    },
  };
  repo.issues.push(issue);
  return issue;
}

export function pullRoutes(shell: Shell): Route[] {
  return [
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/pulls",
      operationId: "pulls/list",
      auth: "token",
      async handle(ctx) {
        const state = ctx.query.get("state") ?? "open";
        const head = ctx.query.get("head");
        const base = ctx.query.get("base");
        if (!["open", "closed", "all"].includes(state))
          throw validationFailed([{ resource: "Issue", field: "state", code: "invalid" }]);
        const headOwner = head?.includes(":") ? head.slice(0, head.indexOf(":")) : null;
        const pulls = ctx.repo.issues
          .filter((i) => i.pull)
          .filter((i) => state === "all" || i.state === state)
          .filter(
            (i) =>
              !head ||
              (i.pull?.headRef === branchOf(head) &&
                (!headOwner || headOwner.toLowerCase() === ctx.repo.owner.toLowerCase())),
          )
          .filter((i) => !base || i.pull?.baseRef === base)
          .sort((a, b) => (ctx.query.get("direction") === "asc" ? a.number - b.number : b.number - a.number));
        const page = paginate(ctx, pulls);
        const body = [];
        for (const issue of page.items) body.push(await pullSimpleBody(shell, ctx.urls, ctx.repo, issue));
        return { status: 200, body, headers: page.headers };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/pulls",
      operationId: "pulls/create",
      auth: "token",
      write: true,
      async handle(ctx) {
        const title = requireString(ctx.body, "title");
        const issue = await openPullRequest(shell, ctx.repo, {
          head: requireString(ctx.body, "head"),
          base: requireString(ctx.body, "base"),
          title,
          body: typeof ctx.body.body === "string" ? ctx.body.body : null,
          user: actor(ctx).login,
          draft: ctx.body.draft === true,
          maintainerCanModify: ctx.body.maintainer_can_modify !== false,
        });
        return { status: 201, body: await pullFullBody(shell, ctx.urls, ctx.repo, issue) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/pulls/{pull_number}",
      operationId: "pulls/get",
      auth: "token",
      async handle(ctx) {
        return {
          status: 200,
          body: await pullFullBody(shell, ctx.urls, ctx.repo, findPull(ctx.repo, ctx.params.pull_number ?? "")),
        };
      },
    },
    {
      method: "PATCH",
      template: "/repos/{owner}/{repo}/pulls/{pull_number}",
      operationId: "pulls/update",
      auth: "token",
      write: true,
      async handle(ctx) {
        const issue = findPull(ctx.repo, ctx.params.pull_number ?? "");
        const date = nowIso(shell);
        const b = ctx.body;
        if (typeof b.title === "string") issue.title = b.title;
        if (typeof b.body === "string" || b.body === null) issue.body = b.body;
        if (typeof b.maintainer_can_modify === "boolean") issue.pull.maintainerCanModify = b.maintainer_can_modify;
        if (typeof b.base === "string") {
          if (!(await git.resolveCommit(ctx.repo.dir, `refs/heads/${b.base}`)))
            throw validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }]);
          issue.pull.baseRef = b.base;
        }
        if (b.state === "closed" && issue.state === "open") {
          await refreshPull(ctx.repo, issue);
          Object.assign(issue, { state: "closed", closedAt: date, closedBy: actor(ctx).login });
        } else if (b.state === "open" && issue.state === "closed") {
          if (issue.pull.merged)
            throw validationFailed([
              {
                resource: "PullRequest",
                code: "custom",
                message: "state cannot be changed. The pull request has been merged.",
              },
            ]);
          if (!(await git.resolveCommit(ctx.repo.dir, `refs/heads/${issue.pull.headRef}`))) {
            throw validationFailed([
              {
                resource: "PullRequest",
                code: "custom",
                message: `state cannot be changed. The ${issue.pull.headRef} branch has been deleted.`,
              },
            ]);
          }
          Object.assign(issue, { state: "open", closedAt: null, closedBy: null });
        }
        issue.updatedAt = date;
        return { status: 200, body: await pullFullBody(shell, ctx.urls, ctx.repo, issue) };
      },
    },
    {
      method: "PUT",
      template: "/repos/{owner}/{repo}/pulls/{pull_number}/merge",
      operationId: "pulls/merge",
      auth: "token",
      write: true,
      async handle(ctx) {
        const issue = findPull(ctx.repo, ctx.params.pull_number ?? "");
        await refreshPull(ctx.repo, issue);
        if (typeof ctx.body.sha === "string" && ctx.body.sha !== issue.pull.headSha)
          throw new HttpError(409, "Head branch was modified. Review and try the merge again.");
        const requested = ctx.body.merge_method;
        const method: MergeMethod =
          requested === "squash" ? "squash" : requested === "rebase" ? "fast-forward" : "merge";
        const sha = await mergePullRequest(shell, ctx.repo, issue, {
          by: actor(ctx).login,
          method,
          title: typeof ctx.body.commit_title === "string" ? ctx.body.commit_title : undefined,
          message: typeof ctx.body.commit_message === "string" ? ctx.body.commit_message : undefined,
        });
        return { status: 200, body: { sha, merged: true, message: "Pull Request successfully merged" } };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
      operationId: "pulls/request-reviewers",
      auth: "token",
      write: true,
      async handle(ctx) {
        const issue = findPull(ctx.repo, ctx.params.pull_number ?? "");
        const reviewers = Array.isArray(ctx.body.reviewers) ? ctx.body.reviewers.map(String) : [];
        const teams = Array.isArray(ctx.body.team_reviewers) ? ctx.body.team_reviewers.map(String) : [];
        if (reviewers.some((r) => r.toLowerCase() === issue.user.toLowerCase())) {
          throw validationFailed([
            {
              resource: "PullRequest",
              code: "custom",
              message: "Review cannot be requested from pull request author.",
            },
          ]);
        }
        const outsiders = reviewers.filter(
          (r) => !ctx.repo.permissions.has(r.toLowerCase()) && collaboratorLevel(ctx.repo, r) !== "admin",
        );
        if (outsiders.length > 0) {
          throw new HttpError(
            422,
            `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${ctx.repo.owner}/${ctx.repo.name} repository.`,
          );
        }
        for (const login of reviewers)
          if (!issue.pull.requestedReviewers.includes(login))
            issue.pull.requestedReviewers.push(account(shell.state, login).login);
        for (const team of teams) if (!issue.pull.requestedTeams.includes(team)) issue.pull.requestedTeams.push(team);
        issue.updatedAt = nowIso(shell);
        return { status: 201, body: await pullSimpleBody(shell, ctx.urls, ctx.repo, issue) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/pulls/{pull_number}/commits",
      operationId: "pulls/list-commits",
      auth: "token",
      async handle(ctx) {
        const issue = findPull(ctx.repo, ctx.params.pull_number ?? "");
        await refreshPull(ctx.repo, issue);
        const base = (await git.mergeBase(ctx.repo.dir, issue.pull.baseSha, issue.pull.headSha)) ?? issue.pull.baseSha;
        const page = paginate(ctx, await git.revList(ctx.repo.dir, issue.pull.headSha, base));
        const body = [];
        for (const sha of page.items) body.push(await commitBody(shell, ctx.urls, ctx.repo, sha));
        return { status: 200, body, headers: page.headers };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
      operationId: "pulls/list-reviews",
      auth: "token",
      async handle(ctx) {
        const issue = findPull(ctx.repo, ctx.params.pull_number ?? "");
        const page = paginate(ctx, issue.pull.reviews);
        return {
          status: 200,
          body: page.items.map((r) => shapes.review(ctx.urls, ctx.repo, issue.number, r, account(shell.state, r.user))),
          headers: page.headers,
        };
      },
    },
  ];
}
