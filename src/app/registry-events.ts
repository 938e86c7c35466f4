/**
 * `POST /api/repin/registry-events` (SPEC 11): CNCF Distribution notification envelopes from a
 * registry the operator pointed at repin. Only with `Authorization: Bearer <REPIN_REGISTRY_EVENTS_TOKEN>`
 * (compared in constant time; 401 otherwise, nothing read or queued); bodies over 1 MiB get 413
 * and are not read past the cap; a malformed envelope gets 400 and one log line; otherwise 202,
 * sent before the tags are handed to `hint` (a hint: the watcher re-resolves each tag itself).
 * The token is never logged or echoed.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Log } from "../github/index.js";
import { MAX_ENVELOPE_BYTES, parseEnvelope, type HintSink } from "../registry-events/index.js";

export const REGISTRY_EVENTS_PATH = "/api/repin/registry-events";

type Handler = (request: IncomingMessage, response: ServerResponse) => boolean | Promise<boolean>;

export interface RegistryEventsDeps {
  readonly token: string;
  readonly hint: HintSink;
  readonly log: Log;
  readonly now?: () => number;
}

export function registryEventsEndpoint(deps: RegistryEventsDeps): Handler {
  const expected = digest(`Bearer ${deps.token}`);
  const now = deps.now ?? Date.now;
  return async (request, response) => {
    if (new URL(request.url ?? "/", "http://localhost").pathname !== REGISTRY_EVENTS_PATH) return false;
    if (request.method !== "POST") return answer(response, 405, { error: "POST only" }, { allow: "POST" });
    const seenAt = now();
    // Hashing both sides first makes the comparison constant-time whatever the header's length.
    if (!timingSafeEqual(digest(request.headers.authorization ?? ""), expected))
      return answer(response, 401, { error: "a bearer token is required" }, { "www-authenticate": "Bearer" });
    const body = await readCapped(request, MAX_ENVELOPE_BYTES);
    // Nothing more is read: the connection closes once the answer is out.
    if (body === null)
      return answer(response, 413, { error: `the body is over ${MAX_ENVELOPE_BYTES} bytes` }, { connection: "close" });
    const parsed = parseEnvelope(body);
    if (!parsed.ok) {
      deps.log.warn(
        { reason: parsed.reason, contentType: request.headers["content-type"] ?? null },
        "registry event refused: malformed envelope",
      );
      return answer(response, 400, { error: parsed.reason });
    }
    answer(response, 202, { events: parsed.events, tags: parsed.hints.length });
    // The answer goes first: the registry's notification queue never waits on repin's work.
    setImmediate(() => {
      for (const hint of parsed.hints) {
        try {
          deps.hint(hint, seenAt);
        } catch (error) {
          deps.log.error({ tag: hint, error: String(error) }, "registry event: the hint failed");
        }
      }
    });
    return true;
  };
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

function answer(
  response: ServerResponse,
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): true {
  response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  return true;
}

/** The body as text, or null once it passes `cap` bytes (the rest is left unread). */
function readCapped(request: IncomingMessage, cap: number): Promise<string | null> {
  if (Number(request.headers["content-length"] ?? 0) > cap) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= cap) return void chunks.push(chunk);
      request.off("data", onData).pause();
      resolve(null);
    };
    request.on("data", onData);
    request.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.once("error", reject);
  });
}
