// GitHub App endpoints: the App itself (JWT), its installations, installation
// tokens, and the repositories an installation token can reach.
import { randomBytes } from "node:crypto";
import { isoSeconds } from "./git.js";
import { HttpError, type RequestContext, type Route, type Shell } from "./http.js";
import * as shapes from "./shapes.js";
import { account, installationRepos, type App, type Installation } from "./state.js";
import { paginate, repoBody } from "./views.js";

const TOKEN_TTL_MS = 60 * 60 * 1000;

export function newToken(prefix: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return prefix + [...randomBytes(36)].map((b) => alphabet[b % alphabet.length]).join("");
}

export function appRoutes(shell: Shell): Route[] {
  const { state } = shell;
  const installationOf = (appId: number, id: string): Installation => {
    const inst = state.installations.get(Number(id));
    if (!inst || inst.appId !== appId) throw new HttpError(404, "Not Found");
    return inst;
  };
  const appOf = (ctx: RequestContext): App => {
    if (ctx.auth.kind !== "app") throw new HttpError(401, "A JSON web token could not be decoded");
    return ctx.auth.app;
  };
  const installationBody = (urls: shapes.Urls, inst: Installation) => {
    const app = state.apps.get(inst.appId);
    if (!app) throw new HttpError(404, "Not Found");
    return shapes.installation(urls, inst, app, account(state, inst.account));
  };
  return [
    {
      method: "GET",
      template: "/app",
      operationId: "apps/get-authenticated",
      auth: "app",
      async handle(ctx) {
        const app = appOf(ctx);
        const count = [...state.installations.values()].filter((i) => i.appId === app.id).length;
        return { status: 200, body: shapes.integration(ctx.urls, app, account(state, app.owner), count) };
      },
    },
    {
      method: "GET",
      template: "/app/installations",
      operationId: "apps/list-installations",
      auth: "app",
      async handle(ctx) {
        const app = appOf(ctx);
        const all = [...state.installations.values()].filter((i) => i.appId === app.id).sort((a, b) => a.id - b.id);
        const page = paginate(ctx, all);
        return { status: 200, body: page.items.map((i) => installationBody(ctx.urls, i)), headers: page.headers };
      },
    },
    {
      method: "GET",
      template: "/app/installations/{installation_id}",
      operationId: "apps/get-installation",
      auth: "app",
      async handle(ctx) {
        return {
          status: 200,
          body: installationBody(ctx.urls, installationOf(appOf(ctx).id, ctx.params.installation_id ?? "")),
        };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/installation",
      operationId: "apps/get-repo-installation",
      auth: "token",
      async handle(ctx) {
        if (ctx.auth.kind !== "app") throw new HttpError(401, "A JSON web token could not be decoded");
        const appId = ctx.auth.app.id;
        const inst = [...state.installations.values()].find(
          (i) => i.appId === appId && installationRepos(state, i).includes(ctx.repo),
        );
        if (!inst) throw new HttpError(404, "Not Found");
        return { status: 200, body: installationBody(ctx.urls, inst) };
      },
    },
    {
      method: "POST",
      template: "/app/installations/{installation_id}/access_tokens",
      operationId: "apps/create-installation-access-token",
      auth: "app",
      async handle(ctx) {
        const inst = installationOf(appOf(ctx).id, ctx.params.installation_id ?? "");
        const reachable = installationRepos(state, inst);
        const names = Array.isArray(ctx.body.repositories) ? (ctx.body.repositories as string[]) : null;
        const ids = Array.isArray(ctx.body.repository_ids) ? (ctx.body.repository_ids as number[]) : null;
        let scoped: typeof reachable | null = null;
        if (names || ids) {
          scoped = reachable.filter(
            (r) => names?.some((n) => n.toLowerCase() === r.name.toLowerCase()) || ids?.includes(r.id),
          );
          if (scoped.length !== (names?.length ?? 0) + (ids?.length ?? 0)) {
            throw new HttpError(
              422,
              "There is at least one repository that does not exist or is not accessible to the parent installation.",
            );
          }
        }
        const token = newToken("ghs_");
        const expiresAt = shell.now() + TOKEN_TTL_MS;
        state.tokens.set(token, {
          token,
          expiresAt,
          owner: { kind: "installation", installationId: inst.id, repositoryIds: scoped?.map((r) => r.id) ?? null },
        });
        const body = {
          token,
          expires_at: isoSeconds(expiresAt),
          permissions: inst.permissions,
          repository_selection: scoped ? "selected" : inst.selection,
          ...(scoped ? { repositories: scoped.map((r) => repoBody(shell, ctx.urls, r)) } : {}),
        };
        return { status: 201, body };
      },
    },
    {
      method: "GET",
      template: "/installation/repositories",
      operationId: "apps/list-repos-accessible-to-installation",
      auth: "token",
      async handle(ctx) {
        if (ctx.auth.kind !== "installation") throw new HttpError(403, "This endpoint requires an installation token");
        const ids = ctx.auth.repositoryIds;
        const repos = installationRepos(state, ctx.auth.installation)
          .filter((r) => !ids || ids.includes(r.id))
          .sort((a, b) => a.id - b.id);
        const page = paginate(ctx, repos);
        return {
          status: 200,
          headers: page.headers,
          body: {
            total_count: repos.length,
            repository_selection: ctx.auth.installation.selection,
            repositories: page.items.map((r) => repoBody(shell, ctx.urls, r)),
          },
        };
      },
    },
    {
      method: "GET",
      template: "/rate_limit",
      operationId: "rate-limit/get",
      auth: "token",
      async handle(ctx) {
        const key =
          ctx.auth.kind === "installation"
            ? `installation:${ctx.auth.installation.id}`
            : ctx.auth.kind === "user"
              ? `user:${ctx.auth.actor.login}`
              : "";
        const bucket = shell.buckets.get(key) ?? { used: 0, reset: Math.floor(shell.now() / 1000) + 3600 };
        const core = {
          limit: shell.rateLimit,
          used: bucket.used,
          remaining: Math.max(0, shell.rateLimit - bucket.used),
          reset: bucket.reset,
        };
        return {
          status: 200,
          body: { rate: core, resources: { core, search: { limit: 30, used: 0, remaining: 30, reset: bucket.reset } } },
        };
      },
    },
  ];
}
