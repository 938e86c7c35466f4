// Issues (which pulls share numbers with), comments, labels, assignees and reactions.
import { HttpError, type RequestContext, type Route, type Shell } from "./http.js";
import * as shapes from "./shapes.js";
import { account, nextIssueNumber, type Issue, type Label, type ReactionContent, type Repo } from "./state.js";
import { collaboratorLevel } from "./routes-repos.js";
import { actor, findIssue, issueBody, nowIso, paginate, requireString } from "./views.js";

const REACTIONS: ReactionContent[] = ["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"];

function ensureLabel(shell: Shell, repo: Repo, name: string): Label {
  const existing = repo.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
  if (existing) return existing;
  const label: Label = { id: shell.state.nextId(), name, color: "ededed", description: null };
  repo.labels.push(label);
  return label;
}

function labelNames(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [];
  return list
    .map((l) => (typeof l === "string" ? l : String((l as { name?: unknown }).name ?? "")))
    .filter((l) => l.length > 0);
}

function assignable(repo: Repo, logins: string[]): string[] {
  return logins.filter(
    (login) => collaboratorLevel(repo, login) !== "none" && collaboratorLevel(repo, login) !== "read",
  );
}

export function issueRoutes(shell: Shell): Route[] {
  const { state } = shell;
  const reactionRoute =
    (subject: "issue_comment" | "review_comment"): Route["handle"] =>
    async (ctx: RequestContext) => {
      const id = Number(ctx.params.comment_id);
      const exists =
        subject === "issue_comment"
          ? ctx.repo.comments.some((c) => c.id === id)
          : ctx.repo.reviewComments.some((c) => c.id === id);
      if (!exists) throw new HttpError(404, "Not Found");
      const content = ctx.body.content as ReactionContent;
      if (!REACTIONS.includes(content))
        throw new HttpError(422, "Validation Failed", {
          errors: [{ resource: "Reaction", field: "content", code: "invalid" }],
        });
      const user = actor(ctx);
      const existing = ctx.repo.reactions.find(
        (r) => r.subject === subject && r.subjectId === id && r.content === content && r.user === user.login,
      );
      if (existing) return { status: 200, body: shapes.reaction(ctx.urls, existing, user) };
      const reaction = {
        id: state.nextId(),
        subject,
        subjectId: id,
        content,
        user: user.login,
        createdAt: nowIso(shell),
      };
      ctx.repo.reactions.push(reaction);
      return { status: 201, body: shapes.reaction(ctx.urls, reaction, user) };
    };
  return [
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/issues",
      operationId: "issues/list-for-repo",
      auth: "token",
      async handle(ctx) {
        const wanted = ctx.query.get("state") ?? "open";
        const labels = (ctx.query.get("labels") ?? "").split(",").filter((l) => l.length > 0);
        const creator = ctx.query.get("creator");
        const issues = ctx.repo.issues
          .filter((i) => wanted === "all" || i.state === wanted)
          .filter((i) => labels.every((l) => i.labels.includes(l)))
          .filter((i) => !creator || i.user.toLowerCase() === creator.toLowerCase())
          .sort((a, b) => b.number - a.number);
        const page = paginate(ctx, issues);
        const body = [];
        for (const issue of page.items) body.push(await issueBody(shell, ctx.urls, ctx.repo, issue));
        return { status: 200, body, headers: page.headers };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/issues",
      operationId: "issues/create",
      auth: "token",
      write: true,
      async handle(ctx) {
        const date = nowIso(shell);
        const issue: Issue = {
          id: state.nextId(),
          pullId: 0,
          number: nextIssueNumber(ctx.repo),
          title: requireString(ctx.body, "title"),
          body: typeof ctx.body.body === "string" ? ctx.body.body : null,
          state: "open",
          user: actor(ctx).login,
          labels: labelNames(ctx.body.labels).map((n) => ensureLabel(shell, ctx.repo, n).name),
          assignees: assignable(ctx.repo, labelNames(ctx.body.assignees)),
          createdAt: date,
          updatedAt: date,
          closedAt: null,
          closedBy: null,
          pull: null,
        };
        ctx.repo.issues.push(issue);
        return { status: 201, body: await issueBody(shell, ctx.urls, ctx.repo, issue) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/issues/{issue_number}",
      operationId: "issues/get",
      auth: "token",
      async handle(ctx) {
        return {
          status: 200,
          body: await issueBody(shell, ctx.urls, ctx.repo, findIssue(ctx.repo, ctx.params.issue_number ?? "")),
        };
      },
    },
    {
      method: "PATCH",
      template: "/repos/{owner}/{repo}/issues/{issue_number}",
      operationId: "issues/update",
      auth: "token",
      write: true,
      async handle(ctx) {
        const issue = findIssue(ctx.repo, ctx.params.issue_number ?? "");
        const b = ctx.body;
        const date = nowIso(shell);
        if (typeof b.title === "string") issue.title = b.title;
        if (typeof b.body === "string" || b.body === null) issue.body = b.body;
        if (Array.isArray(b.labels))
          issue.labels = labelNames(b.labels).map((n) => ensureLabel(shell, ctx.repo, n).name);
        if (Array.isArray(b.assignees)) issue.assignees = assignable(ctx.repo, labelNames(b.assignees));
        if (b.state === "closed" && issue.state === "open")
          Object.assign(issue, { state: "closed", closedAt: date, closedBy: actor(ctx).login });
        if (b.state === "open" && issue.state === "closed" && !issue.pull?.merged)
          Object.assign(issue, { state: "open", closedAt: null, closedBy: null });
        issue.updatedAt = date;
        return { status: 200, body: await issueBody(shell, ctx.urls, ctx.repo, issue) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
      operationId: "issues/list-comments",
      auth: "token",
      async handle(ctx) {
        const issue = findIssue(ctx.repo, ctx.params.issue_number ?? "");
        const page = paginate(
          ctx,
          ctx.repo.comments.filter((c) => c.issueNumber === issue.number),
        );
        return {
          status: 200,
          headers: page.headers,
          body: page.items.map((c) => shapes.issueComment(ctx.urls, ctx.repo, c, account(state, c.user))),
        };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
      operationId: "issues/create-comment",
      auth: "token",
      write: true,
      async handle(ctx) {
        const issue = findIssue(ctx.repo, ctx.params.issue_number ?? "");
        const user = actor(ctx);
        const date = nowIso(shell);
        const comment = {
          id: state.nextId(),
          issueNumber: issue.number,
          body: requireString(ctx.body, "body"),
          user: user.login,
          createdAt: date,
          updatedAt: date,
        };
        ctx.repo.comments.push(comment);
        issue.updatedAt = date;
        return { status: 201, body: shapes.issueComment(ctx.urls, ctx.repo, comment, user) };
      },
    },
    {
      method: "PATCH",
      template: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
      operationId: "issues/update-comment",
      auth: "token",
      write: true,
      async handle(ctx) {
        const comment = ctx.repo.comments.find((c) => c.id === Number(ctx.params.comment_id));
        if (!comment) throw new HttpError(404, "Not Found");
        const user = actor(ctx);
        if (comment.user !== user.login && collaboratorLevel(ctx.repo, user.login) !== "admin")
          throw new HttpError(403, "Resource not accessible by integration");
        comment.body = requireString(ctx.body, "body");
        comment.updatedAt = nowIso(shell);
        return { status: 200, body: shapes.issueComment(ctx.urls, ctx.repo, comment, account(state, comment.user)) };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/issues/{issue_number}/labels",
      operationId: "issues/add-labels",
      auth: "token",
      write: true,
      async handle(ctx) {
        const issue = findIssue(ctx.repo, ctx.params.issue_number ?? "");
        const names = labelNames(Array.isArray(ctx.body) ? ctx.body : ctx.body.labels);
        for (const name of names) {
          const label = ensureLabel(shell, ctx.repo, name);
          if (!issue.labels.includes(label.name)) issue.labels.push(label.name);
        }
        issue.updatedAt = nowIso(shell);
        const labels = issue.labels.flatMap((n) => ctx.repo.labels.filter((l) => l.name === n));
        return { status: 200, body: labels.map((l) => shapes.label(ctx.urls, ctx.repo, l)) };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/issues/{issue_number}/assignees",
      operationId: "issues/add-assignees",
      auth: "token",
      write: true,
      async handle(ctx) {
        const issue = findIssue(ctx.repo, ctx.params.issue_number ?? "");
        for (const login of assignable(ctx.repo, labelNames(ctx.body.assignees)))
          if (!issue.assignees.includes(login)) issue.assignees.push(login);
        issue.updatedAt = nowIso(shell);
        return { status: 201, body: await issueBody(shell, ctx.urls, ctx.repo, issue) };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
      operationId: "reactions/create-for-issue-comment",
      auth: "token",
      write: true,
      handle: reactionRoute("issue_comment"),
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions",
      operationId: "reactions/create-for-pull-request-review-comment",
      auth: "token",
      write: true,
      handle: reactionRoute("review_comment"),
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/labels",
      operationId: "issues/list-labels-for-repo",
      auth: "token",
      async handle(ctx) {
        const page = paginate(ctx, ctx.repo.labels);
        return { status: 200, headers: page.headers, body: page.items.map((l) => shapes.label(ctx.urls, ctx.repo, l)) };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/labels",
      operationId: "issues/create-label",
      auth: "token",
      write: true,
      async handle(ctx) {
        const name = requireString(ctx.body, "name");
        if (ctx.repo.labels.some((l) => l.name.toLowerCase() === name.toLowerCase())) {
          throw new HttpError(422, "Validation Failed", {
            errors: [{ resource: "Label", code: "already_exists", field: "name" }],
          });
        }
        const color = typeof ctx.body.color === "string" ? ctx.body.color.replace(/^#/, "") : "ededed";
        const label: Label = {
          id: state.nextId(),
          name,
          color,
          description: typeof ctx.body.description === "string" ? ctx.body.description : null,
        };
        ctx.repo.labels.push(label);
        return { status: 201, body: shapes.label(ctx.urls, ctx.repo, label) };
      },
    },
  ];
}
