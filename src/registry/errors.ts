import { parseRetryAfter } from "./headers.js";
import type { RegistryErrorKind } from "./types.js";

/** Keeps only the parts of a URL that are safe to show: no userinfo, no query values. */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return "<invalid url>";
  }
  parsed.username = "";
  parsed.password = "";
  const safeKeys = new Set(["n", "last", "service", "scope"]);
  for (const key of [...parsed.searchParams.keys()]) {
    if (!safeKeys.has(key)) parsed.searchParams.set(key, "REDACTED");
  }
  parsed.hash = "";
  return parsed.toString();
}

export interface RegistryErrorInit {
  readonly kind: RegistryErrorKind;
  readonly message: string;
  readonly status?: number | null;
  readonly method?: string | null;
  readonly url?: string | URL | null;
  readonly codes?: readonly string[];
  readonly retryable?: boolean;
  /** How long the registry asked to wait (`Retry-After`), in ms. */
  readonly retryAfterMs?: number | null;
  /** No answer within the request's timeout (the host may be a black hole). */
  readonly timedOut?: boolean;
  readonly cause?: unknown;
}

/** The one error the registry client throws; `retryable` tells "try later" from "skip this image". */
export class RegistryError extends Error {
  override readonly name = "RegistryError";
  readonly kind: RegistryErrorKind;
  readonly status: number | null;
  readonly method: string | null;
  /** Redacted: no credentials, no query values. */
  readonly url: string | null;
  /** Error codes from the registry's JSON body, e.g. MANIFEST_UNKNOWN. */
  readonly codes: readonly string[];
  readonly retryable: boolean;
  /** How long the registry asked to wait (`Retry-After` of a 429 or 503), in ms; null when it did not say. */
  readonly retryAfterMs: number | null;
  readonly timedOut: boolean;

  constructor(init: RegistryErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status ?? null;
    this.method = init.method ?? null;
    this.url = init.url ? redactUrl(init.url) : null;
    this.codes = init.codes ?? [];
    this.retryable = init.retryable ?? defaultRetryable(init.kind);
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.timedOut = init.timedOut ?? false;
  }
}

function defaultRetryable(kind: RegistryErrorKind): boolean {
  return kind === "unavailable" || kind === "rate-limited";
}

export function isRegistryError(err: unknown): err is RegistryError {
  return err instanceof RegistryError;
}

const maxCodes = 5;
// OCI error codes look like MANIFEST_UNKNOWN; anything else in that field is the registry's free text.
const codeShape = /^[A-Z][A-Z0-9_]{0,63}/;

/**
 * Reads the error codes of `{"errors":[{"code",…}]}` from an error body; never throws. The rest of
 * the body (its messages included) is never kept: the App publishes errors on dashboards, and a
 * body is whatever the host that answered wants to show there.
 */
export function parseErrorCodes(body: Uint8Array): string[] {
  try {
    const parsed = JSON.parse(Buffer.from(body.subarray(0, 64 * 1024)).toString("utf8")) as unknown;
    const errors = (parsed as { errors?: unknown }).errors;
    if (!Array.isArray(errors)) return [];
    const entries = errors.slice(0, maxCodes) as { code?: unknown }[];
    return entries.map((e) => (typeof e.code === "string" ? (codeShape.exec(e.code)?.[0] ?? "") : "")).filter(Boolean);
  } catch {
    return [];
  }
}

export function kindForStatus(status: number): RegistryErrorKind {
  if (status === 401 || status === 403) return "unauthorized";
  if (status === 404) return "not-found";
  if (status === 429) return "rate-limited";
  if (status === 408 || status >= 500) return "unavailable";
  return "bad-response";
}

/** Builds the error for a non-success response; `what` names the object, e.g. "manifest library/python:3.12". */
export function errorFromResponse(
  response: { status: number; body: Uint8Array; headers?: Headers },
  method: string,
  url: string | URL,
  what: string,
): RegistryError {
  const codes = parseErrorCodes(response.body);
  const detail = codes.join(", ");
  const kind = kindForStatus(response.status);
  const word = kind === "bad-response" ? "unexpected status" : kind;
  return new RegistryError({
    kind,
    status: response.status,
    method,
    url,
    codes,
    retryAfterMs: parseRetryAfter(response.headers?.get("retry-after"), Date.now()),
    message: `${response.status} ${word} from ${hostOf(url)} for ${what}${detail ? `: ${detail}` : ""}`,
  });
}

export function hostOf(url: string | URL): string {
  try {
    return new URL(String(url)).host;
  } catch {
    return "<unknown host>";
  }
}

/** One line for a `skip` reason, e.g. "401 unauthorized from ghcr.io for repository x: …". */
export function describeRegistryError(err: unknown): string {
  if (isRegistryError(err)) return err.message;
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * A registry failure as plain data, for the pure core: what went wrong, which host, and whether
 * trying again later can help ("the host is down") or not ("this image is bad").
 */
export interface RegistryFailure {
  /** `other` when the failure was not a RegistryError (a bug or an unexpected exception). */
  readonly kind: RegistryErrorKind | "other";
  /** One line, as `describeRegistryError` says it. */
  readonly message: string;
  /** The host that answered (or failed to), null when unknown. */
  readonly host: string | null;
  readonly status: number | null;
  readonly retryable: boolean;
}

export function registryFailureOf(err: unknown): RegistryFailure {
  if (!isRegistryError(err)) {
    return { kind: "other", message: describeRegistryError(err), host: null, status: null, retryable: false };
  }
  return {
    kind: err.kind,
    message: err.message,
    host: err.url === null ? null : hostOf(err.url),
    status: err.status,
    retryable: err.retryable,
  };
}
