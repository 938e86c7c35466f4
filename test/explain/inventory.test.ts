import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inventoryFor } from "../../src/explain/index.js";
import { createMemoryInventoryCache } from "../../src/inventory/index.js";
import { createRegistry, type Registry } from "../../src/registry/index.js";
import { openStoreDir } from "../../src/store/index.js";
import { startFaultProxy, startRegistry, type FaultProxy, type TestRegistry } from "../support/registry/index.js";
import { apkDbLayer, apkInstalled, filler, layer, pushRawImage, pushRawIndex, tarball, wolfiBase } from "./images.js";

let registry: TestRegistry;
let proxy: FaultProxy;
let liar: Server;
let liarUrl: string;
let dir: string;
const big = 50 * 1024 * 1024;

beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startFaultProxy(registry.url);
  dir = mkdtempSync(join(tmpdir(), "repin-explain-"));
  liar = createServer((_req, res) => res.end(Buffer.alloc(4096, 7)));
  await new Promise<void>((resolve) => liar.listen(0, "127.0.0.1", resolve));
  liarUrl = `http://127.0.0.1:${(liar.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => liar?.close(resolve));
  await proxy?.stop();
  await registry?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const client = (): Registry => createRegistry({ backoffBaseMs: 1 });
const repo = (repository: string) => ({ registry: registry.host, repository });
const names = (packages: readonly { name: string; version: string }[]) =>
  packages.map((p) => `${p.name} ${p.version}`).sort();

async function blobGets(run: () => Promise<unknown>): Promise<number> {
  await registry.settle();
  const before = registry.requests().filter((r) => r.method === "GET" && r.path.includes("/blobs/")).length;
  await run();
  await registry.settle();
  return registry.requests().filter((r) => r.method === "GET" && r.path.includes("/blobs/")).length - before;
}

describe("inventoryFor against the real registry", () => {
  it("reads the apk database from the middle of a realistic layer set, then answers from the cache with no blob request", async () => {
    const layers = [
      await layer([filler("usr/lib/libbig.so", 400_000)]),
      await apkDbLayer([...wolfiBase, ["openssl", "3.3.1-r0"]]),
      await layer([filler("app/bin/server", 300_000)]),
    ];
    const image = await pushRawImage(registry, "inv/simple", "1", layers);
    const cache = createMemoryInventoryCache();
    let first: Awaited<ReturnType<typeof inventoryFor>> | undefined;
    const cold = await blobGets(
      async () => (first = await inventoryFor(client(), repo("inv/simple"), image.digest, { cache, maxBytes: big })),
    );
    expect(first).toMatchObject({
      ok: true,
      fromCache: false,
      inventory: { kind: "apk", imageDigest: image.digest, platform: "linux/amd64" },
    });
    expect(first?.ok && names(first.inventory.packages)).toContain("openssl 3.3.1-r0");
    expect(first?.ok && first.bytesRead).toBe(layers.reduce((n, l) => n + l.length, 0));
    expect(cold).toBe(4); // config + three layers
    let second: Awaited<ReturnType<typeof inventoryFor>> | undefined;
    const warm = await blobGets(
      async () => (second = await inventoryFor(client(), repo("inv/simple"), image.digest, { cache, maxBytes: big })),
    );
    expect(warm).toBe(0);
    expect(second).toMatchObject({ ok: true, fromCache: true, bytesRead: 0 });
  });

  it("reads the configured platform's child of an index, falls back to the first runnable platform, and caches by index + platform", async () => {
    const amd = await pushRawImage(registry, "inv/multi", null, [
      await apkDbLayer([...wolfiBase, ["busybox", "1.36.1-r1"]]),
    ]);
    const arm = await pushRawImage(
      registry,
      "inv/multi",
      null,
      [await apkDbLayer([...wolfiBase, ["busybox", "1.37.0-r0"]])],
      { os: "linux", architecture: "arm64", variant: "v8" },
    );
    const attestation = await pushRawImage(registry, "inv/multi", null, [await layer([])], {
      os: "unknown",
      architecture: "unknown",
    });
    const index = await pushRawIndex(registry, "inv/multi", "latest", [attestation, arm, amd]);
    const cache = createMemoryInventoryCache();
    const armRead = await inventoryFor(client(), repo("inv/multi"), index, {
      platform: "linux/arm64",
      cache,
      maxBytes: big,
    });
    expect(armRead).toMatchObject({ ok: true, inventory: { platform: "linux/arm64/v8", imageDigest: arm.digest } });
    expect(armRead.ok && names(armRead.inventory.packages)).toContain("busybox 1.37.0-r0");
    const amdRead = await inventoryFor(client(), repo("inv/multi"), index, { cache, maxBytes: big });
    expect(amdRead.ok && [amdRead.inventory.imageDigest, names(amdRead.inventory.packages)]).toEqual([
      amd.digest,
      expect.arrayContaining(["busybox 1.36.1-r1"]),
    ]);
    const fallback = await inventoryFor(client(), repo("inv/multi"), index, {
      platform: "linux/s390x",
      cache,
      maxBytes: big,
    });
    expect(fallback).toMatchObject({ ok: true, inventory: { platform: "linux/arm64/v8", imageDigest: arm.digest } });
    await registry.settle();
    const before = registry.requests().length;
    const again = await inventoryFor(client(), repo("inv/multi"), index, {
      platform: "linux/arm64",
      cache,
      maxBytes: big,
    });
    await registry.settle();
    expect(again).toMatchObject({
      ok: true,
      fromCache: true,
      inventory: { imageDigest: arm.digest, platform: "linux/arm64" },
    });
    expect(registry.requests().length - before).toBe(0);
  });

  it("applies whiteouts across layers and reads a plain (not gzipped) tar layer", async () => {
    const layers = [
      await apkDbLayer([...wolfiBase, ["openssl", "3.3.1-r0"]]),
      await layer([{ name: "lib/apk/db/.wh.installed" }]),
      await tarball([{ name: "lib/apk/db/installed", body: apkInstalled([...wolfiBase, ["curl", "8.10.1-r0"]]) }]),
    ];
    const image = await pushRawImage(registry, "inv/whiteout", "1", layers);
    const read = await inventoryFor(client(), repo("inv/whiteout"), image.digest, {
      cache: createMemoryInventoryCache(),
      maxBytes: big,
    });
    expect(read.ok && names(read.inventory.packages)).toEqual([
      "ca-certificates-bundle 20241010-r0",
      "curl 8.10.1-r0",
      "glibc 2.40-r3",
      "wolfi-baselayout 20230201-r15",
    ]);
    const deleted = await pushRawImage(registry, "inv/whiteout", "2", layers.slice(0, 2));
    const none = await inventoryFor(client(), repo("inv/whiteout"), deleted.digest, {
      cache: createMemoryInventoryCache(),
      maxBytes: big,
    });
    expect(none).toMatchObject({ ok: true, inventory: { kind: "none", packages: [] } });
  });

  it("turns a truncated layer and an oversized image into reasons, and caches neither", async () => {
    const whole = await apkDbLayer([...wolfiBase, ["openssl", "3.3.1-r0"]]);
    const cut = await pushRawImage(registry, "inv/broken", "cut", [whole.subarray(0, Math.floor(whole.length / 2))]);
    const cache = createMemoryInventoryCache();
    const truncated = await inventoryFor(client(), repo("inv/broken"), cut.digest, { cache, maxBytes: big });
    expect(truncated).toMatchObject({
      ok: false,
      failure: "bad-layer",
      reason: expect.stringContaining("truncated layer"),
    });
    expect(await cache.get(cut.digest)).toBeUndefined();
    const large = await pushRawImage(registry, "inv/broken", "large", [
      await layer([filler("usr/big", 200_000)]),
      whole,
    ]);
    const blobs = await blobGets(async () => {
      const oversized = await inventoryFor(client(), repo("inv/broken"), large.digest, { cache, maxBytes: 100_000 });
      expect(oversized).toMatchObject({
        ok: false,
        failure: "too-large",
        reason: expect.stringMatching(/over the 100000-byte limit/),
      });
    });
    expect(blobs).toBe(1); // the config only: the manifest's sizes already say it is too large
  });

  it("reports a blob whose bytes are not its digest as digest-mismatch", async () => {
    const image = await pushRawImage(registry, "inv/liar", "1", [await apkDbLayer(wolfiBase)]);
    const viaProxy = createRegistry({ backoffBaseMs: 1 });
    // The manifest and config come through the proxy as they are; only the layer is a lie.
    const manifest = await client().getManifest(repo("inv/liar"), image.digest);
    const layerDigest = manifest.kind === "image" ? manifest.layers[0]!.digest : "";
    proxy.add({
      method: "GET",
      path: `/blobs/${layerDigest}`,
      times: Infinity,
      action: { type: "redirect", location: `${liarUrl}/blob` },
    });
    const read = await inventoryFor(viaProxy, { registry: proxy.host, repository: "inv/liar" }, image.digest, {
      cache: createMemoryInventoryCache(),
      maxBytes: big,
    });
    proxy.clear();
    expect(read).toMatchObject({
      ok: false,
      failure: "digest-mismatch",
      reason: expect.stringContaining("body hash is not the digest"),
    });
  });

  it("keeps inventories in SQLite across a reopen: the second process reads no blob", async () => {
    const image = await pushRawImage(registry, "inv/sqlite", "1", [
      await apkDbLayer([...wolfiBase, ["zlib", "1.3.1-r4"]]),
    ]);
    const data = join(dir, "data");
    const first = await openStoreDir(data);
    const cold = await inventoryFor(client(), repo("inv/sqlite"), image.digest, {
      cache: first.inventories,
      maxBytes: big,
    });
    await first.close();
    expect(cold).toMatchObject({ ok: true, fromCache: false });
    const reopened = await openStoreDir(data);
    let warm: Awaited<ReturnType<typeof inventoryFor>> | undefined;
    const blobs = await blobGets(
      async () =>
        (warm = await inventoryFor(client(), repo("inv/sqlite"), image.digest, {
          cache: reopened.inventories,
          maxBytes: big,
        })),
    );
    await reopened.close();
    expect(blobs).toBe(0);
    expect(warm?.ok && [warm.fromCache, names(warm.inventory.packages)]).toEqual([
      true,
      expect.arrayContaining(["zlib 1.3.1-r4"]),
    ]);
  });

  it("reports a registry failure (unknown digest) as a reason instead of throwing", async () => {
    const read = await inventoryFor(client(), repo("inv/none"), `sha256:${"a".repeat(64)}`, {
      cache: createMemoryInventoryCache(),
      maxBytes: big,
    });
    expect(read).toMatchObject({ ok: false, failure: "registry", reason: expect.stringContaining("not-found") });
  });
});
