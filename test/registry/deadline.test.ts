import { createHash } from "node:crypto";
import { text } from "node:stream/consumers";
import { afterAll, beforeAll, expect, it } from "vitest";
import { anonymousKeychain, createRegistry } from "../../src/registry/index.js";
import { startScriptedServer, type ScriptedServer } from "../support/registry/index.js";

// A host that answers, but slowly enough that no single request times out: only a deadline on
// the whole operation bounds it. Deadlines are short here; the defaults are minutes.
const blob = Buffer.from("one byte at a time");
const digest = `sha256:${createHash("sha256").update(blob).digest("hex")}`;
let server: ScriptedServer;

beforeAll(async () => {
  server = await startScriptedServer((req, res) => {
    if (req.url?.includes("/blobs/")) {
      res.writeHead(200, { "content-length": String(blob.length), "content-type": "application/octet-stream" });
      let sent = 0;
      const trickle = setInterval(() => {
        if (res.destroyed || sent >= blob.length) {
          clearInterval(trickle);
          return void res.end();
        }
        res.write(blob.subarray(sent, ++sent));
      }, 50);
      return;
    }
    // Every manifest request: a 503 after a pause shorter than the request timeout, so it is retried.
    setTimeout(() => {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [{ code: "UNAVAILABLE", message: "busy" }] }));
    }, 150);
  });
});
afterAll(async () => server?.stop());

const repo = () => ({ registry: server.host, repository: "slow/app" });

it("ends a blob download that trickles past the deadline, though bytes keep arriving", async () => {
  const client = createRegistry({ keychain: anonymousKeychain, timeoutMs: 1000, blobDeadlineMs: 400 });
  const started = Date.now();
  const stream = await client.openBlob!(repo(), digest, { maxBytes: 1024 });
  await expect(text(stream as NodeJS.ReadableStream)).rejects.toMatchObject({
    kind: "unavailable",
    retryable: true,
    message: expect.stringContaining("took longer than the 400 ms deadline"),
  });
  expect(Date.now() - started).toBeLessThan(1200);
});

it("reads the same trickling blob in full when the deadline allows it", async () => {
  const client = createRegistry({ keychain: anonymousKeychain, timeoutMs: 1000, blobDeadlineMs: 10_000 });
  const stream = await client.openBlob!(repo(), digest, { maxBytes: 1024 });
  expect(await text(stream as NodeJS.ReadableStream)).toBe(blob.toString());
});

it("stops retrying a slow, failing host at the operation's deadline", async () => {
  const before = server.requests().length;
  const bounded = createRegistry({
    keychain: anonymousKeychain,
    timeoutMs: 1000,
    retries: 10,
    backoffBaseMs: 1,
    deadlineMs: 400,
  });
  const started = Date.now();
  await expect(bounded.resolveTag(repo(), "1.0")).rejects.toMatchObject({
    kind: "unavailable",
    message: expect.stringContaining("took longer than the 400 ms deadline"),
  });
  expect(Date.now() - started).toBeLessThan(1200);
  expect(server.requests().length - before).toBeLessThanOrEqual(3);
});
