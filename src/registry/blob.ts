import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { RegistryError, errorFromResponse, hostOf, redactUrl } from "./errors.js";
import { isDigest } from "./manifest.js";
import { assertSchemeAllowed } from "./scheme.js";
import type { FetchTransportOptions, HttpResponse, Transport } from "./transport.js";

/**
 * Blobs (layers) are too large to buffer, so they get their own bottom layer: the same rules as
 * `fetchTransport` (manual redirects that drop Authorization across origins, plain HTTP only
 * where allowed), but a 200 to a blob GET keeps its body as a stream. Every other answer (401
 * challenges, errors, token responses) is buffered as usual, so retry and auth stack on it
 * unchanged; they pass the response object through, stream included.
 */
export interface StreamedResponse extends HttpResponse {
  readonly stream?: ReadableStream<Uint8Array>;
}

export interface OpenBlobOptions {
  /** Most bytes the blob may have; more fails with `bad-response`. */
  readonly maxBytes: number;
}

const blobPath = /^\/v2\/.+\/blobs\/[a-z0-9]+:[a-f0-9]+$/;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const maxErrorBodyBytes = 64 * 1024;

export function blobFetchTransport(options: FetchTransportOptions): Transport {
  const maxRedirects = options.maxRedirects ?? 5;
  return async (request) => {
    const streaming = request.method === "GET" && blobPath.test(request.url.pathname);
    let url = request.url;
    let headers: Record<string, string> = { ...request.headers };
    if (options.userAgent) headers["user-agent"] = options.userAgent;
    for (let hop = 0; ; hop++) {
      assertSchemeAllowed(url, request.method, options.insecureRegistries);
      const idle = idleTimer(options.timeoutMs);
      let response: Response;
      try {
        response = await fetch(url, { method: request.method, headers, body: request.body, redirect: "manual", signal: idle.signal });
      } catch (err) {
        idle.stop();
        options.onRequest?.({ method: request.method, url: redactUrl(url), status: null });
        throw unavailable(err, request.method, url, options.timeoutMs);
      }
      options.onRequest?.({ method: request.method, url: redactUrl(url), status: response.status });
      const location = response.headers.get("location");
      if (redirectStatuses.has(response.status) && location) {
        idle.stop();
        await response.body?.cancel();
        if (hop >= maxRedirects) throw new RegistryError({ kind: "bad-response", method: request.method, url, message: `too many redirects from ${url.host}` });
        const next = new URL(location, url);
        if (next.origin !== url.origin) headers = withoutAuthorization(headers);
        url = next;
        continue;
      }
      if (streaming && response.status === 200 && response.body) {
        const result: StreamedResponse = { status: 200, headers: response.headers, body: Buffer.alloc(0), url, stream: idle.watch(response.body) };
        return result;
      }
      try {
        return { status: response.status, headers: response.headers, body: await readSmall(response), url };
      } catch (err) {
        throw unavailable(err, request.method, url, options.timeoutMs);
      } finally {
        idle.stop();
      }
    }
  };
}

/**
 * GETs a blob through `transport` (a stack on `blobFetchTransport`) and returns its bytes as a
 * stream that hashes what passes through: at the end a hash that is not `digest` fails the
 * stream with `digest-mismatch`, and more than `maxBytes` fails it with `bad-response`.
 * Stopping early (destroying the stream) cancels the download.
 */
export async function openBlob(transport: Transport, base: URL, repository: string, digest: string, options: OpenBlobOptions): Promise<Readable> {
  const what = `blob ${repository}@${digest.slice(0, 19)}`;
  if (!isDigest(digest)) throw new RegistryError({ kind: "bad-response", message: `"${digest.slice(0, 80)}" is not a digest` });
  const url = new URL(`/v2/${repository}/blobs/${digest}`, base);
  const response: StreamedResponse = await transport({ method: "GET", url, maxBytes: maxErrorBodyBytes, repository });
  if (response.status !== 200) throw errorFromResponse(response, "GET", response.url, what);
  const stream = response.stream;
  if (!stream) throw new RegistryError({ kind: "bad-response", status: 200, method: "GET", url: response.url, message: `${what} from ${response.url.host} has no body` });
  const declared = Number(response.headers.get("content-length") ?? "NaN");
  if (declared > options.maxBytes) {
    await stream.cancel();
    throw tooLarge(response.url, what, options.maxBytes);
  }
  return Readable.from(verified(stream, digest, options.maxBytes, response.url, what), { objectMode: false });
}

async function* verified(stream: ReadableStream<Uint8Array>, digest: string, maxBytes: number, url: URL, what: string): AsyncGenerator<Buffer> {
  const hash = createHash(digest.startsWith("sha512:") ? "sha512" : "sha256");
  let total = 0;
  try {
    // Leaving this loop early (a throw here or the consumer stopping) cancels the download.
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > maxBytes) throw tooLarge(url, what, maxBytes);
      hash.update(chunk);
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  } catch (err) {
    if (err instanceof RegistryError) throw err;
    throw new RegistryError({ kind: "unavailable", method: "GET", url, message: `reading ${what} from ${url.host} failed: ${(err as Error).message}` });
  }
  const actual = `${digest.split(":")[0]}:${hash.digest("hex")}`;
  if (actual !== digest) {
    throw new RegistryError({ kind: "digest-mismatch", status: 200, method: "GET", url, message: `${what} from ${url.host}: body hash is not the digest ${digest.slice(0, 19)}…` });
  }
}

/** An abort signal that fires after `ms` without progress: a large blob may take long, a stalled one may not. */
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

async function readSmall(response: Response): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxErrorBodyBytes) break; // an error or token body; the head of it is enough
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== "authorization"));
}

function tooLarge(url: URL, what: string, maxBytes: number): RegistryError {
  return new RegistryError({ kind: "bad-response", method: "GET", url, status: 200, message: `${what} from ${url.host} is larger than ${maxBytes} bytes` });
}

function unavailable(err: unknown, method: string, url: URL, timeoutMs: number): RegistryError {
  const name = err instanceof Error ? err.name : "";
  const timedOut = name === "TimeoutError" || name === "AbortError";
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : "";
  return new RegistryError({
    kind: "unavailable",
    method,
    url,
    retryable: true,
    message: timedOut ? `no progress for ${timeoutMs} ms talking to ${hostOf(url)}` : `connection to ${hostOf(url)} failed${cause ? `: ${cause}` : ""}`,
  });
}
