import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { anonymousKeychain, createRegistry, type RepositoryName } from "../../src/registry/index.js";
import {
  pushImage,
  startFaultProxy,
  startRegistry,
  type FaultProxy,
  type TestRegistry,
} from "../support/registry/index.js";

// Tag lists a registry can make unbounded: many pages, one huge page, the same page forever.
let registry: TestRegistry;
let proxy: FaultProxy;
let repo: RepositoryName;

beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startFaultProxy(registry.url, { paginateTags: true });
  repo = { registry: proxy.host, repository: "tags/app" };
  // One at a time: concurrent pushes of the same blobs to one repository race in the registry.
  for (const tag of ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0.4"]) await pushImage(registry, "tags/app", tag);
});
afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});
afterEach(() => proxy.clear());

const client = (options: { maxTags?: number; tagPageSize?: number } = {}) =>
  createRegistry({ keychain: anonymousKeychain, backoffBaseMs: 1, ...options });
const pageRequests = () => proxy.requests().filter((r) => r.path.includes("/tags/list"));
const versions = (count: number, prefix = "1.0.") => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

it("fails a paginated list from the real registry that has more tags than the cap, after reading no further", async () => {
  const before = pageRequests().length;
  await expect(client({ maxTags: 3, tagPageSize: 2 }).listTags(repo)).rejects.toMatchObject({
    kind: "bad-response",
    retryable: false,
    message: expect.stringContaining("more than 3 tags"),
  });
  expect(pageRequests().length - before).toBe(2);
  // Under the cap the same pages make the whole list.
  expect((await client({ maxTags: 5, tagPageSize: 2 }).listTags(repo)).sort()).toEqual(versions(5));
});

it("stops when a registry serves the same page again under new links", async () => {
  proxy.add({ path: "/tags/list", times: Infinity, action: { type: "tag-page", tags: versions(1000), next: true } });
  const before = pageRequests().length;
  const tags = await client().listTags(repo);
  expect(tags).toHaveLength(1000);
  expect(new Set(tags).size).toBe(1000);
  expect(pageRequests().length - before).toBe(2);
});

it("refuses one page larger than the cap with a clear error, not a stack overflow", async () => {
  proxy.add({ path: "/tags/list", action: { type: "tag-page", tags: versions(200_000, "v") } });
  await expect(client().listTags(repo)).rejects.toMatchObject({
    kind: "bad-response",
    message: expect.stringMatching(/tag list of tags\/app from 127\.0\.0\.1:\d+ has more than 100000 tags/),
  });
});

it("reads a single page of 130,000 tags when the cap allows it", async () => {
  proxy.add({ path: "/tags/list", action: { type: "tag-page", tags: versions(130_000) } });
  expect(await client({ maxTags: 150_000 }).listTags(repo)).toHaveLength(130_000);
});

it("drops what is not a tag and keeps each tag once", async () => {
  const junk = ["", "-x", "x".repeat(129), "a b", "1.0.1", "1.0.1", "ok"];
  proxy.add({ path: "/tags/list", action: { type: "tag-page", tags: junk } });
  expect(await client().listTags(repo)).toEqual(["1.0.1", "ok"]);
});
