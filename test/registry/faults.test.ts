import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  anonymousKeychain,
  createRegistry,
  RegistryError,
  type RegistryOptions,
  type RepositoryName,
} from "../../src/registry/index.js";
import {
  lyingDigest,
  pushImage,
  startFaultProxy,
  startRegistry,
  type FaultProxy,
  type PushedImage,
  type TestRegistry,
} from "../support/registry/index.js";

let registry: TestRegistry;
let proxy: FaultProxy;
let image: PushedImage;
let repo: RepositoryName;

beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startFaultProxy(registry.url);
  image = await pushImage(registry, "faulty/app", "1.0");
  repo = { registry: proxy.host, repository: "faulty/app" };
});
afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});
afterEach(() => proxy.clear());

const client = (options: RegistryOptions = {}) =>
  createRegistry({ keychain: anonymousKeychain, backoffBaseMs: 5, retries: 3, ...options });
const manifestRequests = () => proxy.requests().filter((r) => r.path === "/v2/faulty/app/manifests/1.0");
const since = <T>(list: T[], start: number): T[] => list.slice(start);

describe("retries through a fault-injecting proxy", () => {
  it("waits for Retry-After after a 429, then succeeds", async () => {
    const start = manifestRequests().length;
    proxy.add({ method: "HEAD", action: { type: "status", status: 429, retryAfter: "1" } });
    const began = Date.now();
    expect((await client().resolveTag(repo, "1.0")).digest).toBe(image.digest);
    expect(Date.now() - began).toBeGreaterThanOrEqual(1000);
    expect(since(manifestRequests(), start).map((r) => r.status)).toEqual([429, 200]);
  });

  it("gives up at once, without asking again early, when Retry-After is longer than it may wait", async () => {
    const start = manifestRequests().length;
    proxy.add({ method: "HEAD", action: { type: "status", status: 503, retryAfter: "3600" } });
    const began = Date.now();
    const err = (await client({ maxRetryWaitMs: 50 })
      .resolveTag(repo, "1.0")
      .catch((e: unknown) => e)) as RegistryError;
    expect(err).toMatchObject({ kind: "unavailable", status: 503 });
    expect(Date.now() - began).toBeLessThan(2000);
    expect(since(manifestRequests(), start).map((r) => r.status)).toEqual([503]);
  });

  it("asks with GET, and checks the bytes, when the registry refuses HEAD", async () => {
    const start = manifestRequests().length;
    proxy.add({ method: "HEAD", action: { type: "status", status: 405 } });
    expect((await client().resolveTag(repo, "1.0")).digest).toBe(image.digest);
    expect(since(manifestRequests(), start).map((r) => [r.method, r.status])).toEqual([
      ["HEAD", 405],
      ["GET", 200],
    ]);
  });

  it("retries 5xx answers and dropped connections", async () => {
    const start = manifestRequests().length;
    proxy.add({ method: "HEAD", action: { type: "status", status: 502 } });
    proxy.add({ method: "HEAD", action: { type: "drop" } });
    proxy.add({ method: "HEAD", action: { type: "status", status: 500 } });
    expect((await client().resolveTag(repo, "1.0")).digest).toBe(image.digest);
    expect(since(manifestRequests(), start).map((r) => r.status)).toEqual([502, null, 500, 200]);
  });

  it("gives up with `unavailable` when the registry stays down", async () => {
    const start = manifestRequests().length;
    proxy.add({ method: "HEAD", times: Infinity, action: { type: "status", status: 503 } });
    const err = (await client({ retries: 2 })
      .resolveTag(repo, "1.0")
      .catch((e: unknown) => e)) as RegistryError;
    expect(err).toBeInstanceOf(RegistryError);
    expect(err).toMatchObject({ kind: "unavailable", status: 503, retryable: true });
    expect(since(manifestRequests(), start)).toHaveLength(3);
  });

  it("gives up with `rate-limited` when 429s do not stop", async () => {
    proxy.add({ method: "HEAD", times: Infinity, action: { type: "status", status: 429, retryAfter: "0" } });
    await expect(client({ retries: 1 }).resolveTag(repo, "1.0")).rejects.toMatchObject({
      kind: "rate-limited",
      status: 429,
    });
  });

  it("times out a slow answer and retries it", async () => {
    proxy.add({ method: "HEAD", action: { type: "delay", ms: 1000 } });
    const began = Date.now();
    expect((await client({ timeoutMs: 200 }).resolveTag(repo, "1.0")).digest).toBe(image.digest);
    expect(Date.now() - began).toBeLessThan(1000);
  });

  it("reports a registry that is always too slow as unavailable with a timeout reason", async () => {
    proxy.add({ method: "HEAD", times: Infinity, action: { type: "delay", ms: 1000 } });
    const err = (await client({ timeoutMs: 100, retries: 1 })
      .resolveTag(repo, "1.0")
      .catch((e: unknown) => e)) as RegistryError;
    expect(err).toMatchObject({ kind: "unavailable", retryable: true });
    expect(err.message).toMatch(/timed out after 100 ms/);
  });
});

describe("digests come from the bytes", () => {
  it("falls back to GET and hashes the body when HEAD has no Docker-Content-Digest", async () => {
    const start = manifestRequests().length;
    proxy.add({ method: "HEAD", action: { type: "strip-digest" } });
    expect(await client().resolveTag(repo, "1.0")).toEqual({ digest: image.digest, mediaType: image.mediaType });
    expect(since(manifestRequests(), start).map((r) => r.method)).toEqual(["HEAD", "GET"]);
  });

  it("refuses a GET whose Docker-Content-Digest is not the body's hash", async () => {
    proxy.add({ method: "HEAD", action: { type: "strip-digest" } });
    proxy.add({ method: "GET", action: { type: "lie-digest" } });
    const err = (await client()
      .resolveTag(repo, "1.0")
      .catch((e: unknown) => e)) as RegistryError;
    expect(err).toMatchObject({ kind: "digest-mismatch", retryable: false });
    expect(err.message).toContain(lyingDigest.slice(0, 19));
  });
});
