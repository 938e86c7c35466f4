import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRegistry,
  isRegistryError,
  memoizeRegistry,
  staticKeychain,
  type Registry,
} from "../../src/registry/index.js";
import {
  pushBlob,
  sha256,
  startFaultProxy,
  startRegistry,
  type FaultProxy,
  type TestRegistry,
} from "../support/registry/index.js";

// A private registry (basic auth) behind a fault proxy; a "CDN" proxy in front of a public registry
// holding the same blob; and a liar that answers any blob GET with other bytes.
let privateRegistry: TestRegistry;
let blobStore: TestRegistry;
let front: FaultProxy;
let cdn: FaultProxy;
let liar: Server;
let liarUrl: string;
const blob = randomBytes(300_000);
let digest: string;

beforeAll(async () => {
  [privateRegistry, blobStore] = await Promise.all([startRegistry({ auth: "basic" }), startRegistry()]);
  front = await startFaultProxy(privateRegistry.url);
  cdn = await startFaultProxy(blobStore.url);
  digest = await pushBlob(privateRegistry, "team/app", blob);
  await pushBlob(blobStore, "team/app", blob);
  liar = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/octet-stream" });
    // Chunked, no Content-Length: the size cap must work while streaming too.
    res.write(randomBytes(200_000));
    res.end(randomBytes(100_000));
  });
  await new Promise<void>((resolve) => liar.listen(0, "127.0.0.1", resolve));
  liarUrl = `http://127.0.0.1:${(liar.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => liar?.close(resolve));
  await Promise.all([front?.stop(), cdn?.stop()]);
  await Promise.all([privateRegistry?.stop(), blobStore?.stop()]);
});

const client = (): Registry =>
  createRegistry({
    keychain: staticKeychain({ [front.host]: { kind: "basic", ...privateRegistry.credentials! } }),
    backoffBaseMs: 1,
  });
const repo = () => ({ registry: front.host, repository: "team/app" });

async function readAll(stream: ReadableStream<Uint8Array> | NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => "no error",
    (error: unknown) => error,
  );
}

describe("openBlob", () => {
  it("streams a blob from a registry that asks for credentials, and the bytes hash to the digest", async () => {
    front.clear();
    const body = await readAll(await client().openBlob!(repo(), digest, { maxBytes: 1_000_000 }));
    expect(sha256(body)).toBe(digest);
    expect(body.length).toBe(blob.length);
  });

  it("follows a blob redirect to another host without the Authorization header", async () => {
    front.clear();
    const registry = client();
    // The first read learns the Basic challenge, so the redirected request carries credentials.
    await readAll(await registry.openBlob!(repo(), digest, { maxBytes: 1_000_000 }));
    front.add({
      method: "GET",
      path: "/blobs/",
      action: { type: "redirect", location: `${cdn.url}/v2/team/app/blobs/${digest}` },
    });
    const body = await readAll(await registry.openBlob!(repo(), digest, { maxBytes: 1_000_000 }));
    expect(sha256(body)).toBe(digest);
    expect(
      front
        .requests()
        .filter((r) => r.fault === "redirect")
        .map((r) => r.authorization),
    ).toEqual([true]);
    expect(cdn.requests().map((r) => [r.path, r.authorization])).toEqual([[`/v2/team/app/blobs/${digest}`, false]]);
  });

  it("fails the stream with digest-mismatch when the bytes are not the blob", async () => {
    front.clear();
    front.add({
      method: "GET",
      path: "/blobs/",
      times: Infinity,
      action: { type: "redirect", location: `${liarUrl}/blob` },
    });
    const stream = await client().openBlob!(repo(), digest, { maxBytes: 1_000_000 });
    const error = await failure(readAll(stream));
    front.clear();
    expect(isRegistryError(error) && error.kind).toBe("digest-mismatch");
  });

  it("stops at maxBytes, by Content-Length before reading and while streaming without one", async () => {
    front.clear();
    const declared = await failure(client().openBlob!(repo(), digest, { maxBytes: 1000 }));
    expect(isRegistryError(declared) && [declared.kind, declared.message]).toEqual([
      "bad-response",
      expect.stringContaining("larger than 1000 bytes"),
    ]);
    front.add({
      method: "GET",
      path: "/blobs/",
      times: Infinity,
      action: { type: "redirect", location: `${liarUrl}/blob` },
    });
    const streamed = await failure(readAll(await client().openBlob!(repo(), digest, { maxBytes: 250_000 })));
    front.clear();
    expect(isRegistryError(streamed) && [streamed.kind, streamed.message]).toEqual([
      "bad-response",
      expect.stringContaining("larger than 250000 bytes"),
    ]);
  });

  it("retries a 503 and reports an unknown blob as not-found", async () => {
    front.clear();
    front.add({ method: "GET", path: "/blobs/", action: { type: "status", status: 503 } });
    const body = await readAll(await client().openBlob!(repo(), digest, { maxBytes: 1_000_000 }));
    expect(sha256(body)).toBe(digest);
    expect(front.requests().filter((r) => r.fault === "status")).toHaveLength(1);
    const missing = await failure(client().openBlob!(repo(), sha256(Buffer.from("nope")), { maxBytes: 1000 }));
    expect(isRegistryError(missing) && missing.kind).toBe("not-found");
  });

  it("passes through memoizeRegistry without memoizing: each call is a new download", async () => {
    front.clear();
    const downloads = () =>
      front.requests().filter((r) => r.method === "GET" && r.path.includes("/blobs/") && r.status === 200).length;
    const before = downloads();
    const view = memoizeRegistry(client());
    await readAll(await view.openBlob!(repo(), digest, { maxBytes: 1_000_000 }));
    await readAll(await view.openBlob!(repo(), digest, { maxBytes: 1_000_000 }));
    expect(downloads() - before).toBe(2);
  });
});
