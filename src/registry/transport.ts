import { InternalAddressError } from "./address.js";
import { RegistryError, hostOf, redactUrl } from "./errors.js";
import type { FetchLike } from "./guarded-fetch.js";
import { assertSchemeAllowed } from "./scheme.js";

/** One HTTP exchange with a buffered, size-capped body (or, for a streamed request's 200, a stream). */
export interface HttpRequest {
  readonly method: "GET" | "HEAD" | "POST";
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Largest body accepted; larger bodies fail with `bad-response`. */
  readonly maxBytes: number;
  /** Repository name the request acts on, for the auth layer's token scope. */
  readonly repository?: string;
  /**
   * For blobs, too large to buffer: a 200 keeps its body as `HttpResponse.stream`, and the
   * timeout restarts whenever data arrives. Any other answer (a challenge, an error) is
   * buffered, its first `maxBytes` only.
   */
  readonly stream?: boolean;
  /** The operation's deadline (see `startDeadline`): it aborts the request, its retries and a streamed body. */
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  /** The URL that answered, after redirects. */
  readonly url: URL;
  /** The body of a streamed request's 200; `body` is then empty. */
  readonly stream?: ReadableStream<Uint8Array>;
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
  /** Node's fetch by default; the App's is `guardedFetch`, which refuses internal addresses. */
  readonly fetch?: FetchLike;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * Node's fetch with a timeout per request and manual redirects: a redirect to another
 * origin is followed without the Authorization header, so credentials stay with their host.
 * Retry and auth stack on it unchanged, passing the response (stream included) through.
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
        throw new RegistryError({
          kind: "bad-response",
          method: request.method,
          url,
          message: `too many redirects from ${url.host}`,
        });
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
  const timer = idleTimer(options.timeoutMs);
  const timedOut = (): string => {
    if (request.signal?.aborted) return deadlineMessage(request.signal);
    return request.stream ? `no progress for ${options.timeoutMs} ms` : `timed out after ${options.timeoutMs} ms`;
  };
  const send: FetchLike = options.fetch ?? ((target, init) => fetch(target, { ...init, redirect: "manual" }));
  let response: Response;
  try {
    response = await send(url, {
      method: request.method,
      headers,
      body: request.body,
      signal: request.signal ? AbortSignal.any([timer.signal, request.signal]) : timer.signal,
    });
  } catch (err) {
    timer.stop();
    if (err instanceof InternalAddressError) throw refusedAddress(err, request.method, url);
    options.onRequest?.({ method: request.method, url: redactUrl(url), status: null });
    throw connectionError(err, request.method, url, timedOut);
  }
  options.onRequest?.({ method: request.method, url: redactUrl(url), status: response.status });
  if (request.stream && response.status === 200 && response.body) {
    return { status: 200, headers: response.headers, body: Buffer.alloc(0), url, stream: timer.watch(response.body) };
  }
  try {
    const body = await readCapped(response, request, url);
    return { status: response.status, headers: response.headers, body, url };
  } catch (err) {
    if (err instanceof RegistryError) throw err;
    throw connectionError(err, request.method, url, timedOut);
  } finally {
    timer.stop();
  }
}

/** Repository content pointed the App at an internal address: nothing was sent, and trying again will not help. */
function refusedAddress(err: InternalAddressError, method: string, url: URL): RegistryError {
  return new RegistryError({
    kind: "address-refused",
    method,
    url,
    message: `refused to connect to ${hostOf(url)}: it is an internal address, and the operator did not list it in REPIN_PRIVATE_REGISTRIES`,
    cause: err,
  });
}

/** `timedOut` says what ran out ("timed out after 30000 ms", "no progress for 30000 ms"). */
function connectionError(err: unknown, method: string, url: URL, timedOut: () => string): RegistryError {
  const name = err instanceof Error ? err.name : "";
  const aborted = name === "TimeoutError" || name === "AbortError";
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : "";
  return new RegistryError({
    kind: "unavailable",
    method,
    url,
    retryable: true,
    timedOut: aborted,
    message: aborted
      ? `${timedOut()} talking to ${hostOf(url)}`
      : `connection to ${hostOf(url)} failed${cause ? `: ${cause}` : ""}`,
  });
}

export interface Deadline {
  readonly signal: AbortSignal;
  /** Ends the deadline once the operation is over, so its timer is not left behind. */
  clear(): void;
}

/**
 * The total time one registry operation may take, retries, backoff and body streaming included;
 * the per-request timeout alone lets a host that trickles a byte at a time hold on forever.
 */
export function startDeadline(ms: number): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`took longer than the ${ms} ms deadline`, "TimeoutError")),
    ms,
  ).unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** What an aborted deadline says, e.g. "took longer than the 120000 ms deadline". */
export function deadlineMessage(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : "deadline passed";
}

/**
 * An abort signal that fires after `ms`; `watch` restarts it whenever a chunk of a streamed
 * body arrives: a large blob may take long, a stalled one may not.
 */
function idleTimer(ms: number) {
  const controller = new AbortController();
  // Unref'd: a stream the consumer dropped must not keep the process alive until the timer fires.
  const arm = () => setTimeout(() => controller.abort(new DOMException("idle", "TimeoutError")), ms).unref();
  let timer = arm();
  const stop = (): void => clearTimeout(timer);
  const touch = (): void => {
    clearTimeout(timer);
    timer = arm();
  };
  const watch = (body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> =>
    body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, out) {
          touch();
          out.enqueue(chunk);
        },
        flush: stop,
      }),
    );
  return { signal: controller.signal, stop, watch };
}

async function readCapped(response: Response, request: HttpRequest, url: URL): Promise<Buffer> {
  const { method, maxBytes } = request;
  if (method === "HEAD") return Buffer.alloc(0);
  // A streamed request's buffered answer is an error or a challenge: its head is enough.
  const cut = request.stream === true;
  const declared = Number(response.headers.get("content-length") ?? "NaN");
  const tooLarge = (): RegistryError =>
    new RegistryError({
      kind: "bad-response",
      method,
      url,
      status: response.status,
      message: `response from ${url.host} is larger than ${maxBytes} bytes`,
    });
  if (declared > maxBytes && !cut) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    // Leaving the loop (break or throw) cancels the stream.
    if (total > maxBytes) {
      if (cut) break;
      throw tooLarge();
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
