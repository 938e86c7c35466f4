import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anonymousKeychain, createRegistry, RegistryError, type RepositoryName } from "../../src/registry/index.js";
import { parseRateLimit } from "../../src/registry/headers.js";
import {
  pushImage,
  startFaultProxy,
  startRegistry,
  type FaultProxy,
  type TestRegistry,
} from "../support/registry/index.js";

describe("parseRateLimit", () => {
  it.each([
    [{ "ratelimit-remaining": "0;w=21600" }, { remaining: 0, resetMs: null }],
    [
      { "ratelimit-remaining": "42", "ratelimit-reset": "30" },
      { remaining: 42, resetMs: 30_000 },
    ],
    [{ "ratelimit-remaining": "none" }, null],
    [{}, null],
  ])("%j → %j", (headers, expected) => {
    expect(parseRateLimit(new Headers(headers))).toEqual(expected);
  });
});

describe("what a registry says of its rate limit reaches the caller", () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let repo: RepositoryName;
  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.url);
    await pushImage(registry, "limited/app", "1.0");
    repo = { registry: proxy.host, repository: "limited/app" };
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });
  const client = () => createRegistry({ keychain: anonymousKeychain, backoffBaseMs: 5, maxRetryWaitMs: 50 });

  it("a 429's Retry-After is on the error", async () => {
    proxy.add({ method: "HEAD", action: { type: "status", status: 429, retryAfter: "120" } });
    const error = (await client()
      .resolveTag(repo, "1.0")
      .catch((e: unknown) => e)) as RegistryError;
    expect(error).toMatchObject({ kind: "rate-limited", status: 429, retryAfterMs: 120_000 });
  });

  it("RateLimit-Remaining on an answer is on the tag's digest", async () => {
    proxy.add({ method: "HEAD", action: { type: "headers", headers: { "ratelimit-remaining": "0;w=21600" } } });
    expect((await client().resolveTag(repo, "1.0")).rateLimit).toEqual({ remaining: 0, resetMs: null });
    expect((await client().resolveTag(repo, "1.0")).rateLimit).toBeUndefined();
  });
});
