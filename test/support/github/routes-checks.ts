// Check runs, created and updated by the App through its installation token.
import * as git from "./git.js";
import { HttpError, type RequestContext, type Route, type Shell } from "./http.js";
import * as shapes from "./shapes.js";
import { account, type CheckRun } from "./state.js";
import { nowIso, paginate } from "./views.js";

const STATUSES: CheckRun["status"][] = ["queued", "in_progress", "completed", "waiting", "requested", "pending"];

export function checkRoutes(shell: Shell): Route[] {
  const { state } = shell;
  const appBody = (ctx: RequestContext, run: CheckRun) => {
    const app = run.appId === null ? undefined : state.apps.get(run.appId);
    if (!app) return null;
    const count = [...state.installations.values()].filter((i) => i.appId === app.id).length;
    return shapes.integration(ctx.urls, app, account(state, app.owner), count);
  };
  const apply = (run: CheckRun, b: Record<string, unknown>, now: string) => {
    if (typeof b.name === "string") run.name = b.name;
    if (typeof b.details_url === "string") run.detailsUrl = b.details_url;
    if (typeof b.external_id === "string") run.externalId = b.external_id;
    if (typeof b.started_at === "string") run.startedAt = b.started_at;
    if (typeof b.status === "string") {
      if (!STATUSES.includes(b.status as CheckRun["status"]))
        throw new HttpError(422, "Invalid request.\n\nstatus is not included in the list.");
      run.status = b.status as CheckRun["status"];
    }
    if (typeof b.conclusion === "string") {
      run.conclusion = b.conclusion;
      run.status = "completed";
    }
    if (run.status === "completed") {
      if (!run.conclusion)
        throw new HttpError(
          422,
          'Invalid request.\n\nNo subschema in "anyOf" matched.\n"conclusion" wasn\'t supplied.',
        );
      run.completedAt = typeof b.completed_at === "string" ? b.completed_at : (run.completedAt ?? now);
    }
    const output = b.output as Record<string, unknown> | undefined;
    if (output && typeof output === "object") {
      run.output = {
        title: typeof output.title === "string" ? output.title : run.output.title,
        summary: typeof output.summary === "string" ? output.summary : run.output.summary,
        text: typeof output.text === "string" ? output.text : run.output.text,
        annotationsCount:
          run.output.annotationsCount + (Array.isArray(output.annotations) ? output.annotations.length : 0),
      };
    }
  };
  return [
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/commits/{ref+}/check-runs",
      operationId: "checks/list-for-ref",
      auth: "token",
      async handle(ctx) {
        const sha = await git.resolveCommit(ctx.repo.dir, ctx.params.ref ?? "");
        if (!sha) throw new HttpError(422, `No commit found for SHA: ${ctx.params.ref ?? ""}`);
        const name = ctx.query.get("check_name");
        const status = ctx.query.get("status");
        const runs = ctx.repo.checkRuns
          .filter((r) => r.headSha === sha && (!name || r.name === name) && (!status || r.status === status))
          .sort((a, b) => b.id - a.id);
        const page = paginate(ctx, runs);
        return {
          status: 200,
          headers: page.headers,
          body: {
            total_count: runs.length,
            check_runs: page.items.map((r) => shapes.checkRun(ctx.urls, ctx.repo, r, appBody(ctx, r))),
          },
        };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/check-runs",
      operationId: "checks/create",
      auth: "token",
      write: true,
      async handle(ctx) {
        if (ctx.auth.kind !== "installation") throw new HttpError(403, "You must authenticate via a GitHub App.");
        const b = ctx.body;
        if (typeof b.name !== "string" || typeof b.head_sha !== "string")
          throw new HttpError(422, 'Invalid request.\n\n"name" and "head_sha" are required.');
        if ((await git.objectType(ctx.repo.dir, b.head_sha)) !== "commit")
          throw new HttpError(422, `No commit found for SHA: ${b.head_sha}`);
        const now = nowIso(shell);
        const run: CheckRun = {
          id: state.nextId(),
          appId: ctx.auth.installation.appId,
          headSha: b.head_sha,
          name: b.name,
          status: "queued",
          conclusion: null,
          externalId: null,
          detailsUrl: null,
          startedAt: now,
          completedAt: null,
          output: { title: null, summary: null, text: null, annotationsCount: 0 },
        };
        apply(run, b, now);
        ctx.repo.checkRuns.push(run);
        return { status: 201, body: shapes.checkRun(ctx.urls, ctx.repo, run, appBody(ctx, run)) };
      },
    },
    {
      method: "PATCH",
      template: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
      operationId: "checks/update",
      auth: "token",
      write: true,
      async handle(ctx) {
        const run = ctx.repo.checkRuns.find((r) => r.id === Number(ctx.params.check_run_id));
        if (!run) throw new HttpError(404, "Not Found");
        apply(run, ctx.body, nowIso(shell));
        return { status: 200, body: shapes.checkRun(ctx.urls, ctx.repo, run, appBody(ctx, run)) };
      },
    },
  ];
}
