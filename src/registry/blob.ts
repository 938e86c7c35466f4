import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { RegistryError, errorFromResponse } from "./errors.js";
import { isDigest } from "./manifest.js";
import { deadlineMessage, startDeadline, type Deadline, type Transport } from "./transport.js";

export interface OpenBlobOptions {
  /** Most bytes the blob may have; more fails with `bad-response`. */
  readonly maxBytes: number;
  /** Total time from the request to the last byte; past it the download fails with `unavailable`. */
  readonly deadlineMs: number;
  /** Cleans an error before it leaves (control characters, credentials); see redact.ts. */
  readonly scrub?: <T>(error: T) => T;
}

// The most of an error or challenge body kept; the blob itself streams.
const maxErrorBodyBytes = 64 * 1024;

/**
 * GETs a blob through `transport` as a streamed request (see `HttpRequest.stream`) and returns
 * its bytes as a stream that hashes what passes through: at the end a hash that is not `digest`
 * fails the stream with `digest-mismatch`, and more than `maxBytes` fails it with `bad-response`.
 * Stopping early (destroying the stream) cancels the download.
 */
export async function openBlob(
  transport: Transport,
  base: URL,
  repository: string,
  digest: string,
  options: OpenBlobOptions,
): Promise<Readable> {
  const what = `blob ${repository}@${digest.slice(0, 19)}`;
  if (!isDigest(digest))
    throw new RegistryError({ kind: "bad-response", message: `"${digest.slice(0, 80)}" is not a digest` });
  const url = new URL(`/v2/${repository}/blobs/${digest}`, base);
  const scrub = options.scrub ?? ((err) => err);
  const deadline = startDeadline(options.deadlineMs);
  try {
    const response = await transport({
      method: "GET",
      url,
      maxBytes: maxErrorBodyBytes,
      repository,
      stream: true,
      signal: deadline.signal,
    });
    if (response.status !== 200) throw errorFromResponse(response, "GET", response.url, what);
    const stream = response.stream;
    if (!stream)
      throw new RegistryError({
        kind: "bad-response",
        status: 200,
        method: "GET",
        url: response.url,
        message: `${what} from ${response.url.host} has no body`,
      });
    const declared = Number(response.headers.get("content-length") ?? "NaN");
    if (declared > options.maxBytes) {
      await stream.cancel();
      throw tooLarge(response.url, what, options.maxBytes);
    }
    const body = verified(stream, { digest, maxBytes: options.maxBytes, url: response.url, what, deadline, scrub });
    return Readable.from(body, { objectMode: false });
  } catch (err) {
    deadline.clear();
    throw scrub(err);
  }
}

interface Download {
  readonly digest: string;
  readonly maxBytes: number;
  readonly url: URL;
  readonly what: string;
  /** Cleared when the download ends, however it ends. */
  readonly deadline: Deadline;
  readonly scrub: <T>(error: T) => T;
}

async function* verified(
  stream: ReadableStream<Uint8Array>,
  { digest, maxBytes, url, what, deadline, scrub }: Download,
): AsyncGenerator<Buffer> {
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
    if (err instanceof RegistryError) throw scrub(err);
    const reason = deadline.signal.aborted ? deadlineMessage(deadline.signal) : (err as Error).message;
    throw scrub(
      new RegistryError({
        kind: "unavailable",
        method: "GET",
        url,
        message: `reading ${what} from ${url.host} failed: ${reason}`,
      }),
    );
  } finally {
    deadline.clear();
  }
  const actual = `${digest.split(":")[0]}:${hash.digest("hex")}`;
  if (actual !== digest) {
    throw new RegistryError({
      kind: "digest-mismatch",
      status: 200,
      method: "GET",
      url,
      message: `${what} from ${url.host}: body hash is not the digest ${digest.slice(0, 19)}…`,
    });
  }
}

function tooLarge(url: URL, what: string, maxBytes: number): RegistryError {
  return new RegistryError({
    kind: "bad-response",
    method: "GET",
    url,
    status: 200,
    message: `${what} from ${url.host} is larger than ${maxBytes} bytes`,
  });
}
