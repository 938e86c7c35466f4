// The HTTP shell: routing (at `/` and `/api/v3/`), authentication, rate-limit
// headers, ETags and 304s, injected faults, the request log and schema checks.
import { createHash, randomUUID } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { looksLikeJwt, verifyAppJwt } from "./jwt.js";
import type { ResponseValidator, SchemaViolation } from "./schema.js";
import type { Urls } from "./shapes.js";
import { account, repoKey, type Account, type App, type Installation, type Repo, type State } from "./state.js";

export const DOCS = "https://docs.github.com/rest";

export type Auth =
  | { kind: "app"; app: App }
  | {
      kind: "installation";
      installation: Installation;
      repositoryIds: number[] | null;
      actor: Account;
      readOnly?: boolean;
    }
  | { kind: "user"; actor: Account };

export interface RequestContext {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  urls: Urls;
  auth: Auth;
  /** Set when the route is under /repos/{owner}/{repo} and the caller can see it. */
  repo: Repo;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON body (raw contents). */
  raw?: { contentType: string; data: string | Buffer };
}

export type AuthRule = "app" | "token";

export interface Route {
  method: string;
  /** `{name}` matches one segment, `{name+}` the rest of the path. */
  template: string;
  operationId: string;
  auth: AuthRule;
  /** Counted by writes() when it succeeds. */
  write?: boolean;
  handle(ctx: RequestContext): Promise<Reply>;
}

export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** GitHub's answer to the Git Data API and commit listings of a repository with no commit yet. */
export const emptyRepository = () => new HttpError(409, "Git Repository is empty.");

/** The route, answering `emptyRepository()` while the repository has no commit. */
export function refusingEmpty(route: Route): Route {
  return {
    ...route,
    handle: (ctx) => (ctx.repo.empty ? Promise.reject(emptyRepository()) : route.handle(ctx)),
  };
}

export interface Fault {
  method?: string;
  path: RegExp | string;
  status: 500 | 502 | 403 | 429;
  retryAfter?: number;
  /** A primary rate-limit 403: `x-ratelimit-remaining: 0` and a reset time. */
  rateLimited?: boolean;
  times?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  operationId: string | null;
  installationId: number | null;
  /** Counted against the rate limit (GitHub does not count 304s). */
  rateLimited: boolean;
  fault: boolean;
  /** When the request arrived (ms since the epoch, real clock): for tests of request pacing. */
  at: number;
}

export interface Shell {
  state: State;
  validator: ResponseValidator | null;
  now(): number;
  requests: LoggedRequest[];
  violations: SchemaViolation[];
  /** Requests no route serves (`METHOD /path`): a test that makes one fails at teardown. */
  unserved: string[];
  writes: LoggedRequest[];
  faults: (Fault & { remaining: number })[];
  buckets: Map<string, { used: number; reset: number }>;
  rateLimit: number;
}

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
}

export function compileRoutes(routes: Route[]): CompiledRoute[] {
  return routes.map((route) => {
    const names: string[] = [];
    const source = route.template
      .replace(/[.*?^$()|[\]\\]/g, "\\$&")
      .replace(/\{(\w+)(\+?)\}/g, (_m, name: string, rest: string) => {
        names.push(name);
        return rest ? "(.+)" : "([^/]+)";
      });
    return { route, regex: new RegExp(`^${source}$`), names };
  });
}

function match(
  routes: CompiledRoute[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | null {
  for (const { route, regex, names } of routes) {
    if (route.method !== method) continue;
    const m = regex.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      params[name] = safeDecode(m[i + 1] ?? "");
    });
    return { route, params };
  }
  return null;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function errorBody(status: number, message: string, extra: Record<string, unknown> = {}) {
  const page = status === 401 || status === 403 ? "/overview/authenticating-to-the-rest-api" : "";
  return { message, documentation_url: `${DOCS}${page}`, status: String(status), ...extra };
}

function authenticate(shell: Shell, header: string | undefined): Auth | HttpError | null {
  if (!header) return null;
  const [scheme = "", token = ""] = header.split(/\s+/, 2);
  if (!/^(bearer|token)$/i.test(scheme) || !token) return new HttpError(401, "Bad credentials");
  if (looksLikeJwt(token)) {
    const check = verifyAppJwt(token, shell.state.apps, Math.floor(shell.now() / 1000));
    return check.ok ? { kind: "app", app: check.app } : new HttpError(401, check.message);
  }
  const found = shell.state.tokens.get(token);
  if (!found || found.expiresAt <= shell.now()) return new HttpError(401, "Bad credentials");
  if (found.owner.kind === "user") return { kind: "user", actor: account(shell.state, found.owner.login) };
  const installation = shell.state.installations.get(found.owner.installationId);
  if (!installation) return new HttpError(401, "Bad credentials");
  const app = shell.state.apps.get(installation.appId);
  if (!app) return new HttpError(401, "Bad credentials");
  return {
    kind: "installation",
    installation,
    repositoryIds: found.owner.repositoryIds,
    actor: account(shell.state, app.botLogin, "Bot"),
    ...(found.owner.readOnly && { readOnly: true }),
  };
}

function canSee(auth: Auth, repo: Repo): boolean {
  if (auth.kind === "app") return false;
  if (auth.kind === "user")
    return (
      !repo.private ||
      (repo.permissions.get(auth.actor.login.toLowerCase()) ?? "none") !== "none" ||
      repo.owner === auth.actor.login
    );
  if (auth.repositoryIds && !auth.repositoryIds.includes(repo.id)) return false;
  const inst = auth.installation;
  return inst.selection === "all"
    ? repo.owner.toLowerCase() === inst.account.toLowerCase()
    : inst.repositoryIds.has(repo.id);
}

function bucketKey(auth: Auth | null): string {
  if (!auth) return "anonymous";
  if (auth.kind === "app") return `app:${auth.app.id}`;
  if (auth.kind === "installation") return `installation:${auth.installation.id}`;
  return `user:${auth.actor.login}`;
}

function rateHeaders(shell: Shell, auth: Auth | null, count: boolean): Record<string, string> {
  const key = bucketKey(auth);
  const nowSec = Math.floor(shell.now() / 1000);
  let bucket = shell.buckets.get(key);
  if (!bucket || bucket.reset <= nowSec) {
    bucket = { used: 0, reset: nowSec + 3600 };
    shell.buckets.set(key, bucket);
  }
  if (count) bucket.used += 1;
  const limit = auth ? shell.rateLimit : 60;
  return {
    "x-ratelimit-limit": String(limit),
    "x-ratelimit-remaining": String(Math.max(0, limit - bucket.used)),
    "x-ratelimit-reset": String(bucket.reset),
    "x-ratelimit-used": String(bucket.used),
    "x-ratelimit-resource": "core",
  };
}

function takeFault(shell: Shell, method: string, path: string): Fault | null {
  const fault = shell.faults.find(
    (f) =>
      f.remaining > 0 &&
      (!f.method || f.method.toUpperCase() === method) &&
      (typeof f.path === "string" ? f.path === path : f.path.test(path)),
  );
  if (!fault) return null;
  fault.remaining -= 1;
  return fault;
}

function faultReply(shell: Shell, fault: Fault, auth: Auth | null): Reply {
  if (fault.rateLimited) {
    const reset = Math.floor(shell.now() / 1000) + (fault.retryAfter ?? 60);
    const who = auth?.kind === "installation" ? `installation ID ${auth.installation.id}` : "this client";
    return {
      status: fault.status,
      headers: {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-used": String(shell.rateLimit),
        "x-ratelimit-reset": String(reset),
      },
      body: errorBody(fault.status, `API rate limit exceeded for ${who}.`, {
        documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`,
      }),
    };
  }
  if (fault.status === 403 || fault.status === 429) {
    return {
      status: fault.status,
      headers: fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) },
      body: errorBody(
        fault.status,
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        {
          documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits`,
        },
      ),
    };
  }
  return {
    status: fault.status,
    body: errorBody(fault.status, fault.status === 502 ? "Server Error" : "Internal Server Error"),
  };
}

function etagOf(data: string | Buffer): string {
  return `W/"${createHash("sha256").update(data).digest("hex").slice(0, 40)}"`;
}

export function createHandler(shell: Shell, routes: Route[], origin: () => string) {
  const compiled = compileRoutes(routes);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://localhost");
    const prefixed = url.pathname === "/api/v3" || url.pathname.startsWith("/api/v3/");
    const path = (prefixed ? url.pathname.slice("/api/v3".length) : url.pathname).replace(/\/+$/, "") || "/";
    const urls: Urls = { web: origin(), api: `${origin()}${prefixed ? "/api/v3" : ""}` };
    const entry: LoggedRequest = {
      method,
      path,
      query: url.search,
      status: 0,
      operationId: null,
      installationId: null,
      rateLimited: false,
      fault: false,
      at: Date.now(),
    };
    let auth: Auth | null = null;
    let reply: Reply;
    let route: Route | null = null;
    try {
      const raw = await readBody(req);
      const authResult = authenticate(shell, req.headers.authorization);
      if (authResult instanceof HttpError) throw authResult;
      auth = authResult;
      if (auth?.kind === "installation") entry.installationId = auth.installation.id;
      const found = match(compiled, method, path);
      if (!found) {
        // Not GitHub's 404: repin reads a 404 as "empty repository" or "not a writer", so a route the
        // simulator lacks would pass for an answer. 501 fails the call, and the log fails the test.
        shell.unserved.push(`${method} ${path}`);
        throw new HttpError(501, `The GitHub simulator does not serve ${method} ${path}`);
      }
      route = found.route;
      entry.operationId = route.operationId;
      const fault = takeFault(shell, method, path);
      if (fault) {
        entry.fault = true;
        reply = faultReply(shell, fault, auth);
      } else {
        reply = await dispatch(shell, route, found.params, auth, {
          method,
          path,
          query: url.searchParams,
          headers: req.headers,
          urls,
          raw,
        });
      }
    } catch (error) {
      reply = errorReply(error);
    }
    send(shell, req, res, entry, reply, auth, route);
  };
}

async function dispatch(
  shell: Shell,
  route: Route,
  params: Record<string, string>,
  auth: Auth | null,
  req: { method: string; path: string; query: URLSearchParams; headers: IncomingHttpHeaders; urls: Urls; raw: Buffer },
): Promise<Reply> {
  if (!auth) throw new HttpError(401, "Requires authentication");
  if (route.auth === "app" && auth.kind !== "app") throw new HttpError(401, "A JSON web token could not be decoded");
  if (route.auth === "token" && auth.kind === "app" && route.operationId !== "apps/get-repo-installation") {
    throw new HttpError(401, "A JSON web token could not be decoded");
  }
  // GitHub's answer to a write with a token whose permissions are read-only.
  if (route.write && auth.kind === "installation" && auth.readOnly)
    throw new HttpError(403, "Resource not accessible by integration");
  let body: Record<string, unknown> = {};
  if (req.raw.length > 0) {
    try {
      body = JSON.parse(req.raw.toString("utf8")) as Record<string, unknown>;
    } catch {
      throw new HttpError(400, "Problems parsing JSON");
    }
  }
  let repo: Repo | undefined;
  if (params.owner !== undefined && params.repo !== undefined) {
    repo = shell.state.repos.get(repoKey(params.owner, params.repo));
    const visible =
      repo && (auth.kind === "app" ? route.operationId === "apps/get-repo-installation" : canSee(auth, repo));
    if (!repo || !visible) throw new HttpError(404, "Not Found");
  }
  return route.handle({ ...req, params, body, auth, repo: repo as Repo });
}

function errorReply(error: unknown): Reply {
  if (error instanceof HttpError)
    return { status: error.status, body: errorBody(error.status, error.message, error.extra) };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: errorBody(500, `Simulator error: ${message}`) };
}

function send(
  shell: Shell,
  req: IncomingMessage,
  res: ServerResponse,
  entry: LoggedRequest,
  reply: Reply,
  auth: Auth | null,
  route: Route | null,
): void {
  const ok = reply.status >= 200 && reply.status < 300;
  if (ok && route && reply.body !== undefined && !reply.raw && shell.validator) {
    const errors = shell.validator.validate(route.operationId, reply.status, reply.body);
    if (errors === null) {
      shell.violations.push({
        operationId: route.operationId,
        status: reply.status,
        method: entry.method,
        path: entry.path,
        errors: ["no response schema for this status"],
      });
    } else if (errors.length > 0) {
      shell.violations.push({
        operationId: route.operationId,
        status: reply.status,
        method: entry.method,
        path: entry.path,
        errors,
      });
    }
  }
  const data = reply.raw ? reply.raw.data : reply.body === undefined ? "" : JSON.stringify(reply.body);
  const headers: Record<string, string> = {
    "x-github-request-id": randomUUID().toUpperCase(),
    "x-github-api-version-selected": "2022-11-28",
    "x-github-media-type": "github.v3; format=json",
    ...(reply.body !== undefined || reply.raw
      ? { "content-type": reply.raw ? reply.raw.contentType : "application/json; charset=utf-8" }
      : {}),
  };
  let status = reply.status;
  let body: string | Buffer = data;
  if (entry.method === "GET" && ok) {
    const etag = etagOf(data);
    headers.etag = etag;
    const inm = req.headers["if-none-match"];
    if (inm && inm.split(",").some((tag) => tag.trim() === etag || tag.trim() === etag.slice(2))) {
      status = 304;
      body = "";
      delete headers["content-type"];
    }
  }
  entry.status = status;
  entry.rateLimited = status !== 304 && auth !== null;
  Object.assign(headers, rateHeaders(shell, auth, entry.rateLimited), reply.headers ?? {});
  shell.requests.push(entry);
  if (route?.write && status < 400 && !entry.fault) shell.writes.push(entry);
  res.writeHead(status, headers);
  res.end(body);
}
