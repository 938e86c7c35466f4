import { RegistryError, hostOf, redactUrl } from "./errors.js";
import { assertSchemeAllowed } from "./scheme.js";

/** One HTTP exchange with a buffered, size-capped body. */
export interface HttpRequest {
  readonly method: "GET" | "HEAD" | "POST";
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Largest body accepted; larger bodies fail with `bad-response`. */
  readonly maxBytes: number;
  /** Repository name the request acts on, for the auth layer's token scope. */
  readonly repository?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  /** The URL that answered, after redirects. */
  readonly url: URL;
}

/** Each layer (fetch, retry, auth) is a Transport wrapping the next. */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

export interface RequestInfo {
  readonly method: string;
  /** Redacted URL. */
  readonly url: string;
  readonly status: number | null;
}

export interface FetchTransportOptions {
  readonly timeoutMs: number;
  readonly insecureRegistries: readonly string[];
  readonly userAgent?: string;
  readonly maxRedirects?: number;
  readonly onRequest?: (info: RequestInfo) => void;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * Node's fetch with a timeout per request and manual redirects: a redirect to another
 * origin is followed without the Authorization header, so credentials stay with their host.
 */
export function fetchTransport(options: FetchTransportOptions): Transport {
  const maxRedirects = options.maxRedirects ?? 5;
  return async (request) => {
    let url = request.url;
    let headers: Record<string, string> = { ...request.headers };
    if (options.userAgent) headers["user-agent"] = options.userAgent;
    for (let hop = 0; ; hop++) {
      assertSchemeAllowed(url, request.method, options.insecureRegistries);
      const response = await fetchOnce(request, url, headers, options);
      const location = response.headers.get("location");
      if (!redirectStatuses.has(response.status) || !location) return response;
      if (hop >= maxRedirects) {
        throw new RegistryError({ kind: "bad-response", method: request.method, url, message: `too many redirects from ${url.host}` });
      }
      const next = new URL(location, url);
      if (next.origin !== url.origin) headers = withoutAuthorization(headers);
      url = next;
    }
  };
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== "authorization"));
}

async function fetchOnce(
  request: HttpRequest,
  url: URL,
  headers: Record<string, string>,
  options: FetchTransportOptions,
): Promise<HttpResponse> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { method: request.method, headers, body: request.body, redirect: "manual", signal });
  } catch (err) {
    options.onRequest?.({ method: request.method, url: urlForLog(url), status: null });
    throw connectionError(err, request.method, url, options.timeoutMs);
  }
  options.onRequest?.({ method: request.method, url: urlForLog(url), status: response.status });
  try {
    const body = await readCapped(response, request.maxBytes, request.method, url);
    return { status: response.status, headers: response.headers, body, url };
  } catch (err) {
    if (err instanceof RegistryError) throw err;
    throw connectionError(err, request.method, url, options.timeoutMs);
  }
}

function urlForLog(url: URL): string {
  return redactUrl(url);
}

function connectionError(err: unknown, method: string, url: URL, timeoutMs: number): RegistryError {
  const name = err instanceof Error ? err.name : "";
  const timedOut = name === "TimeoutError" || name === "AbortError";
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : "";
  return new RegistryError({
    kind: "unavailable",
    method,
    url,
    retryable: true,
    message: timedOut
      ? `timed out after ${timeoutMs} ms talking to ${hostOf(url)}`
      : `connection to ${hostOf(url)} failed${cause ? `: ${cause}` : ""}`,
  });
}

async function readCapped(response: Response, maxBytes: number, method: string, url: URL): Promise<Buffer> {
  if (method === "HEAD") return Buffer.alloc(0);
  const declared = Number(response.headers.get("content-length") ?? "NaN");
  const tooLarge = (): RegistryError =>
    new RegistryError({ kind: "bad-response", method, url, status: response.status, message: `response from ${url.host} is larger than ${maxBytes} bytes` });
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    // Leaving the loop by throwing cancels the stream.
    if (total > maxBytes) throw tooLarge();
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
