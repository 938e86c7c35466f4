import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { RegistryError, errorFromResponse } from "./errors.js";
import { isDigest } from "./manifest.js";
import type { Transport } from "./transport.js";

export interface OpenBlobOptions {
  /** Most bytes the blob may have; more fails with `bad-response`. */
  readonly maxBytes: number;
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
  const response = await transport({ method: "GET", url, maxBytes: maxErrorBodyBytes, repository, stream: true });
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
  return Readable.from(verified(stream, digest, options.maxBytes, response.url, what), { objectMode: false });
}

async function* verified(
  stream: ReadableStream<Uint8Array>,
  digest: string,
  maxBytes: number,
  url: URL,
  what: string,
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
    if (err instanceof RegistryError) throw err;
    throw new RegistryError({
      kind: "unavailable",
      method: "GET",
      url,
      message: `reading ${what} from ${url.host} failed: ${(err as Error).message}`,
    });
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
