/**
 * Every GitHub client the App uses (installation clients of cycles, jobs and webhooks, and the
 * App's own) gets one request hook: it counts the exchange and the rate limit GitHub reported
 * (metrics), tells readiness whether GitHub answered, and, for writes, waits for the
 * installation's next write slot (pacing, shared through the store by every replica).
 */
import type { RepinMetrics } from "./metrics.js";

type RequestOptions = { readonly method?: string; readonly url?: string } & Record<string, unknown>;
type Request = (options: RequestOptions) => Promise<{ status: number; headers: Record<string, unknown> }>;

/** The part of an Octokit instance the hook needs (Probot's clients have it). */
interface Hookable {
  readonly hook: { wrap(name: "request", hook: (request: Request, options: RequestOptions) => Promise<unknown>): void };
}

export interface GitHubHooks {
  readonly metrics: RepinMetrics;
  /** Whether the last exchange with GitHub succeeded (readiness). */
  readonly contact: (ok: boolean, reason: string | null) => void;
  /** Waits for the write slot of `installation`; resolves at once for requests that are not paced. */
  readonly pace?: (installation: number, request: { readonly method: string; readonly url: string }) => Promise<void>;
}

const hooked = new WeakSet<object>();

/** Adds the hook to `client` once (a client seen before keeps its one hook); returns the client. */
export function hookGitHub<C>(client: C, installation: number | null, hooks: GitHubHooks): C {
  const target = client as unknown as Partial<Hookable> & object;
  // By hook collection: a proxy of a client (guardInstallationToken's) shares the client's hooks.
  const hook = target.hook;
  if (typeof hook?.wrap !== "function" || hooked.has(hook)) return client;
  hooked.add(hook);
  hook.wrap("request", async (request, options) => {
    const method = (options.method ?? "GET").toUpperCase();
    if (installation !== null && hooks.pace) await hooks.pace(installation, { method, url: options.url ?? "" });
    try {
      const response = await request(options);
      observe(hooks, { method, installation, status: response.status, headers: response.headers });
      return response;
    } catch (error) {
      const failed = error as { status?: unknown; response?: { headers?: Record<string, unknown> }; message?: unknown };
      const status = typeof failed.status === "number" ? failed.status : null;
      observe(hooks, { method, installation, status, headers: failed.response?.headers ?? {} }, error);
      throw error;
    }
  });
  return client;
}

function observe(
  hooks: GitHubHooks,
  exchange: { method: string; installation: number | null; status: number | null; headers: Record<string, unknown> },
  error?: unknown,
): void {
  const remaining = Number(exchange.headers["x-ratelimit-remaining"]);
  hooks.metrics.githubRequest({
    method: exchange.method,
    status: exchange.status,
    installation: exchange.installation,
    remaining:
      exchange.headers["x-ratelimit-remaining"] === undefined || !Number.isFinite(remaining) ? null : remaining,
  });
  // GitHub answered (a 404 or a 409 is an answer); no answer, a 5xx or refused credentials is a failed contact.
  const failed = exchange.status === null || exchange.status >= 500 || exchange.status === 401;
  hooks.contact(!failed, failed ? reasonOf(exchange.status, error) : null);
}

/** A short reason without secrets: the status, or the error's message (Octokit redacts tokens from it). */
function reasonOf(status: number | null, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error ?? "");
  return (status === null ? message : `${status} ${message}`).slice(0, 200);
}
