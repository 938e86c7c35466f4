import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistry, memoizeRegistry, RegistryError, type RepositoryName } from "../../src/registry/index.js";
import {
  pushImage,
  pushIndex,
  startFaultProxy,
  startRegistry,
  type FaultProxy,
  type TestRegistry,
} from "../support/registry/index.js";

let registry: TestRegistry;
let paging: FaultProxy;
const noConfig = { resolve: async () => null };

beforeAll(async () => {
  registry = await startRegistry();
  paging = await startFaultProxy(registry.url, { paginateTags: true });
});
afterAll(async () => {
  await paging?.stop();
  await registry?.stop();
});

const repo = (repository: string): RepositoryName => ({ registry: registry.host, repository });
const client = () => createRegistry({ keychain: noConfig, backoffBaseMs: 1 });

describe("resolveTag against a real registry", () => {
  it("returns the digest of a single-platform image", async () => {
    const pushed = await pushImage(registry, "single/app", "1.0");
    const resolved = await client().resolveTag(repo("single/app"), "1.0");
    expect(resolved).toEqual({ digest: pushed.digest, mediaType: "application/vnd.oci.image.manifest.v1+json" });
  });

  it("returns the index digest for a multi-arch tag (the registry hides an index from clients that do not Accept it)", async () => {
    const index = await pushIndex(registry, "multi/app", "latest", [
      { platform: { os: "linux", architecture: "amd64" } },
      { platform: { os: "linux", architecture: "arm64", variant: "v8" } },
    ]);
    const bare = await fetch(`${registry.url}/v2/multi/app/manifests/latest`, { method: "HEAD" });
    expect(bare.status).toBe(404);
    const resolved = await client().resolveTag(repo("multi/app"), "latest");
    expect(resolved).toEqual({ digest: index.digest, mediaType: "application/vnd.oci.image.index.v1+json" });
  });

  it("follows a tag that moves to a new digest", async () => {
    const first = await pushImage(registry, "moving/app", "stable", { created: "2024-01-01T00:00:00Z" });
    const second = await pushImage(registry, "moving/app", "stable", { created: "2024-02-01T00:00:00Z" });
    expect(first.digest).not.toBe(second.digest);
    expect((await client().resolveTag(repo("moving/app"), "stable")).digest).toBe(second.digest);
  });

  it("resolves Docker manifest lists too", async () => {
    const list = await pushIndex(
      registry,
      "dockerfmt/app",
      "1",
      [{ platform: { os: "linux", architecture: "amd64" } }],
      { format: "docker" },
    );
    const resolved = await client().resolveTag(repo("dockerfmt/app"), "1");
    expect(resolved).toEqual({
      digest: list.digest,
      mediaType: "application/vnd.docker.distribution.manifest.list.v2+json",
    });
  });

  it("reports an unknown tag or repository as not-found with the registry's error code", async () => {
    await pushImage(registry, "known/app", "1.0");
    const tag = await client()
      .resolveTag(repo("known/app"), "nope")
      .catch((e: unknown) => e);
    expect(tag).toBeInstanceOf(RegistryError);
    expect((tag as RegistryError).kind).toBe("not-found");
    expect((tag as RegistryError).status).toBe(404);
    const missing = await client()
      .getManifest(repo("no/such/repo"), `sha256:${"a".repeat(64)}`)
      .catch((e: unknown) => e);
    expect((missing as RegistryError).kind).toBe("not-found");
    expect((missing as RegistryError).codes).toContain("MANIFEST_UNKNOWN");
    expect((missing as RegistryError).message).toMatch(
      /^404 not-found from 127\.0\.0\.1:\d+ for manifest no\/such\/repo@sha256:/,
    );
  });
});

describe("getManifest against a real registry", () => {
  it("reads an index's children with platforms, and each child's config", async () => {
    const index = await pushIndex(
      registry,
      "manifests/app",
      "3.12",
      [
        { platform: { os: "linux", architecture: "amd64" }, created: "2024-03-01T10:00:00Z" },
        { platform: { os: "linux", architecture: "arm", variant: "v7" }, created: "2024-03-01T11:00:00Z" },
      ],
      { annotations: { "org.opencontainers.image.created": "2024-03-01T12:00:00Z" } },
    );
    const registryClient = client();
    const manifest = await registryClient.getManifest(repo("manifests/app"), index.digest);
    expect(manifest).toEqual({
      kind: "index",
      digest: index.digest,
      mediaType: "application/vnd.oci.image.index.v1+json",
      created: "2024-03-01T12:00:00Z",
      children: [
        {
          digest: index.children[0]!.digest,
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          platform: { os: "linux", architecture: "amd64" },
        },
        {
          digest: index.children[1]!.digest,
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          platform: { os: "linux", architecture: "arm", variant: "v7" },
        },
      ],
    });
    const arm = await registryClient.getManifest(repo("manifests/app"), index.children[1]!.digest);
    expect(arm).toMatchObject({
      kind: "image",
      configDigest: index.children[1]!.configDigest,
      platform: { os: "linux", architecture: "arm", variant: "v7" },
      created: "2024-03-01T11:00:00Z",
    });
    expect(arm.kind === "image" && arm.layers).toHaveLength(1);
  });

  it("serves a digest it already read from memory", async () => {
    const image = await pushImage(registry, "cached/app", "1");
    let requests = 0;
    const counting = createRegistry({ keychain: noConfig, onRequest: () => requests++ });
    await counting.getManifest(repo("cached/app"), image.digest);
    expect(requests).toBe(2); // manifest + config blob
    await counting.getManifest(repo("cached/app"), image.digest);
    expect(requests).toBe(2);
  });
});

describe("listTags against a real registry", () => {
  it("follows Link headers across pages to the end", async () => {
    const tags = Array.from({ length: 260 }, (_, i) => `1.0.${i}`);
    const image = await pushImage(registry, "paged/app", null);
    const manifest = await (
      await fetch(`${registry.url}/v2/paged/app/manifests/${image.digest}`, { headers: { accept: image.mediaType } })
    ).arrayBuffer();
    await Promise.all(
      tags.map((tag) =>
        fetch(`${registry.url}/v2/paged/app/manifests/${tag}`, {
          method: "PUT",
          body: Buffer.from(manifest),
          headers: { "content-type": image.mediaType },
        }).then((r) => r.arrayBuffer()),
      ),
    );
    const listing = await createRegistry({ keychain: noConfig, tagPageSize: 50 }).listTags({
      registry: paging.host,
      repository: "paged/app",
    });
    expect([...listing].sort()).toEqual([...tags].sort());
    const pages = paging.requests().filter((r) => r.path.includes("/tags/list"));
    expect(pages).toHaveLength(6);
    expect(pages[1]!.path).toMatch(/last=/);
  });

  it("reads an unpaginated list from the registry itself", async () => {
    await pushImage(registry, "few/app", "a");
    await pushImage(registry, "few/app", "b");
    expect((await client().listTags(repo("few/app"))).sort()).toEqual(["a", "b"]);
  });
});

describe("memoizeRegistry", () => {
  it("asks the registry once per tag per run, failures included", async () => {
    await pushImage(registry, "memo/app", "1.0");
    const run = memoizeRegistry(client());
    const [a, b] = await Promise.all([
      run.resolveTag(repo("memo/app"), "1.0"),
      run.resolveTag(repo("memo/app"), "1.0"),
    ]);
    expect(a).toEqual(b);
    await run.resolveTag(repo("memo/app"), "1.0");
    await expect(run.resolveTag(repo("memo/app"), "missing")).rejects.toMatchObject({ kind: "not-found" });
    await expect(run.resolveTag(repo("memo/app"), "missing")).rejects.toMatchObject({ kind: "not-found" });
    await registry.settle();
    const heads = registry
      .requests()
      .filter((r) => r.method === "HEAD" && r.path.startsWith("/v2/memo/app/manifests/"));
    expect(heads.map((r) => r.path)).toEqual(["/v2/memo/app/manifests/1.0", "/v2/memo/app/manifests/missing"]);
  });
});
