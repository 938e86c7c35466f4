/**
 * `GET /healthz` (the process serves), `GET /readyz` (the store answers and the last contact with
 * GitHub succeeded; not ready while stopping) and `GET /metrics` (Prometheus text) on Probot's
 * server (SPEC 13). Before any contact with GitHub, readiness asks GitHub once (`GET /app`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Store } from "../store/index.js";
import type { RepinMetrics } from "./metrics.js";
import { within } from "./shutdown.js";

export interface Readiness {
  /** What the last exchange with GitHub said (the GitHub hook reports every one). */
  github(ok: boolean, reason: string | null): void;
  /** Not ready from now on: the App is stopping. */
  stopping(): void;
  check(): Promise<ReadinessReport>;
}

export interface ReadinessReport {
  readonly ready: boolean;
  /** `ok`, or why not. */
  readonly store: string;
  readonly github: string;
  readonly stopping?: true;
}

export interface ReadinessOptions {
  readonly store: () => Store | null;
  /** One request to GitHub whose outcome the hook reports (`GET /app`), used before any other contact. */
  readonly probeGitHub: () => Promise<unknown>;
  /** How long the store and the probe may take (default 2 s). */
  readonly timeoutMs?: number;
}

/** A key read to see that the store answers; nothing is ever stored under it. */
const PROBE_KEY = "readyz-probe";

export function createReadiness(options: ReadinessOptions): Readiness {
  const timeoutMs = options.timeoutMs ?? 2_000;
  let github: { ok: boolean; reason: string | null } | null = null;
  let stopping = false;
  const storeAnswers = async (): Promise<string> => {
    const store = options.store();
    if (!store) return "not open yet";
    let failure: string | null = null;
    const answered = await within(
      store.checks.get(PROBE_KEY).catch((error: unknown) => {
        failure = error instanceof Error ? error.message : String(error);
      }),
      timeoutMs,
    );
    if (!answered) return `no answer within ${timeoutMs} ms`;
    return failure ?? "ok";
  };
  const githubAnswers = async (): Promise<string> => {
    if (github === null) {
      const asked = await within(
        options.probeGitHub().catch(() => undefined),
        timeoutMs,
      );
      if (!asked) return `no answer within ${timeoutMs} ms`;
    }
    if (github === null) return "not asked yet";
    return github.ok ? "ok" : `last request failed: ${github.reason ?? "no answer"}`;
  };
  return {
    github(ok, reason) {
      github = { ok, reason };
    },
    stopping() {
      stopping = true;
    },
    async check() {
      const [store, gitHub] = await Promise.all([storeAnswers(), githubAnswers()]);
      return {
        ready: !stopping && store === "ok" && gitHub === "ok",
        store,
        github: gitHub,
        ...(stopping ? { stopping: true as const } : {}),
      };
    },
  };
}

type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

/** The three endpoints, for `options.addHandler`; any other request is left to the next handler. */
export function operationsEndpoints(parts: { readiness: Readiness; metrics: RepinMetrics }): Handler {
  return async (request, response) => {
    if (request.method !== "GET" && request.method !== "HEAD") return false;
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path === "/healthz") {
      send(response, 200, "application/json", JSON.stringify({ status: "ok" }));
      return true;
    }
    if (path === "/readyz") {
      const report = await parts.readiness.check();
      send(response, report.ready ? 200 : 503, "application/json", JSON.stringify(report));
      return true;
    }
    if (path === "/metrics") {
      const registry = parts.metrics.registry;
      send(response, 200, registry.contentType, await registry.metrics());
      return true;
    }
    return false;
  };
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  response.end(body);
}
