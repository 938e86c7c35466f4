import { readFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REGISTRY_EVENTS_PATH, registryEventsEndpoint } from "../../src/app/registry-events.js";
import type { TagHint } from "../../src/registry-events/index.js";

const TOKEN = "s3cret-registry-events-token";
const V1 = "application/vnd.docker.distribution.events.v1+json";
const V2 = "application/vnd.docker.distribution.events.v2+json";
const push = readFileSync(new URL("../registry-events/fixtures/manifest-push.v1.json", import.meta.url), "utf8");
const pushed: TagHint = { registry: "127.0.0.1:36875", repository: "team/app", tag: "1.0" };

interface Recorded {
  readonly tag: TagHint;
  readonly seenAt: number;
  /** Whether the answer had been sent when the hint was given. */
  readonly answered: boolean;
}

let server: Server;
let url: string;
let hints: Recorded[];
let logs: { level: string; obj: object; msg?: string }[];

beforeEach(async () => {
  hints = [];
  logs = [];
  let current: ServerResponse | null = null;
  const log = Object.fromEntries(
    ["info", "warn", "error", "debug"].map((level) => [
      level,
      (obj: object, msg?: string) => logs.push({ level, obj, msg }),
    ]),
  ) as never;
  const handler = registryEventsEndpoint({
    token: TOKEN,
    log,
    hint: (tag, seenAt) => hints.push({ tag, seenAt, answered: current?.writableEnded ?? false }),
  });
  server = createServer(async (request, response) => {
    current = response;
    if (!(await handler(request, response))) response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${REGISTRY_EVENTS_PATH}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": V1, authorization: `Bearer ${TOKEN}`, ...headers },
    body,
  });
/** Lets the work queued after the answer run. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("POST /api/repin/registry-events", () => {
  it("answers 202 for a v1 envelope, then hands its tag to hint with the time it arrived", async () => {
    const before = Date.now();
    const response = await post(push);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ events: 1, tags: 1 });
    await settled();
    expect(hints).toEqual([{ tag: pushed, seenAt: expect.any(Number), answered: true }]);
    expect(hints[0]!.seenAt).toBeGreaterThanOrEqual(before);
    expect(hints[0]!.seenAt).toBeLessThanOrEqual(Date.now());
  });

  it("takes v2 envelopes (distribution 3) the same way", async () => {
    const response = await post(push, { "content-type": V2 });
    expect(response.status).toBe(202);
    await settled();
    expect(hints.map((h) => h.tag)).toEqual([pushed]);
  });

  it.each([
    ["no Authorization header", {}],
    ["another token", { authorization: "Bearer not-the-token" }],
    ["the token with a prefix of it", { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ["the token as Basic credentials", { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString("base64")}` }],
    ["the token without the scheme", { authorization: TOKEN }],
  ])("answers 401 to %s and queues nothing", async (_, headers) => {
    const response = await fetch(url, { method: "POST", headers: { "content-type": V1, ...headers }, body: push });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    const text = await response.text();
    expect(text).not.toContain(TOKEN);
    await settled();
    expect(hints).toEqual([]);
  });

  it("answers 400 to a malformed envelope, logs it once without the body or token, and queues nothing", async () => {
    const response = await post('{"events": "nope", "secret": "in-the-body"}');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'the body is not an envelope: no "events" array' });
    await settled();
    expect(hints).toEqual([]);
    expect(logs).toEqual([
      {
        level: "warn",
        obj: { reason: 'the body is not an envelope: no "events" array', contentType: V1 },
        msg: "registry event refused: malformed envelope",
      },
    ]);
    expect(JSON.stringify(logs)).not.toContain("in-the-body");
  });

  it("answers 413 to a body declared over 1 MiB, before reading it", async () => {
    const big = JSON.stringify({ events: [], pad: "x".repeat(1024 * 1024) });
    const response = await post(big);
    expect(response.status).toBe(413);
    await settled();
    expect(hints).toEqual([]);
  });

  it("answers 413 to a chunked body once it passes 1 MiB, and stops reading", async () => {
    const { status, written } = await streamUntilClosed(url, 64 * 1024, 512);
    expect(status).toBe(413);
    // Socket buffers take a few MiB; had the server read on, all 32 MiB would have gone out.
    expect(written).toBe(false);
    expect(hints).toEqual([]);
  });

  it("takes a body of exactly 1 MiB", async () => {
    const head = JSON.stringify(JSON.parse(push)).slice(0, -1);
    const body = `${head},"pad":"${"x".repeat(1024 * 1024 - head.length - 10)}"}`;
    expect(Buffer.byteLength(body)).toBe(1024 * 1024);
    const response = await post(body);
    expect(response.status).toBe(202);
    await settled();
    expect(hints.map((h) => h.tag)).toEqual([pushed]);
  });

  it("gives one hint for a burst of events of one tag in one envelope", async () => {
    const event = JSON.parse(push).events[0];
    const response = await post(JSON.stringify({ events: Array.from({ length: 1000 }, () => event) }));
    expect(await response.json()).toEqual({ events: 1000, tags: 1 });
    await settled();
    expect(hints.map((h) => h.tag)).toEqual([pushed]);
  });

  it("answers 405 to other methods on its path and leaves other paths to other routes", async () => {
    expect((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(405);
    expect((await fetch(url.replace(REGISTRY_EVENTS_PATH, "/api/repin/other"), { method: "POST" })).status).toBe(404);
  });
});

/**
 * Streams `chunks` chunks of `size` bytes without a length until the server answers and the
 * connection ends; `written`: whether every byte went out (a server reading on takes them all).
 */
function streamUntilClosed(
  target: string,
  size: number,
  chunks: number,
): Promise<{ status: number; written: boolean }> {
  return new Promise((resolve) => {
    let status = 0;
    let written = false;
    const request = httpRequest(target, {
      method: "POST",
      headers: { "content-type": V1, authorization: `Bearer ${TOKEN}`, "transfer-encoding": "chunked" },
    });
    request.on("response", (response) => {
      status = response.statusCode ?? 0;
      response.resume();
    });
    request.on("finish", () => (written = true));
    request.on("error", () => undefined);
    request.on("close", () => resolve({ status, written }));
    const chunk = Buffer.alloc(size, "x");
    const write = (left: number): void => {
      if (request.destroyed) return;
      if (left === 0) return void request.end('"}');
      if (request.write(chunk)) setImmediate(() => write(left - 1));
      else request.once("drain", () => write(left - 1));
    };
    request.write('{"events":[],"pad":"');
    write(chunks);
  });
}
