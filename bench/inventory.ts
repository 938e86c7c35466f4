import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { inventoryFor } from "../src/explain/index.js";
import { createMemoryInventoryCache, type InventoryCache } from "../src/inventory/index.js";
import { anonymousKeychain, createRegistry } from "../src/registry/index.js";
import { openStoreDir } from "../src/store/index.js";
import { startRegistry, type TestRegistry } from "../test/support/registry/index.js";
import { atMost, type Figures } from "./budget.js";
import { apkDbLayer, filler, layer, pushRawImage, wolfiBase, type Pkg } from "../test/explain/images.js";

/** Bytes read and time per image inventory against the real registry: cold, then cached in memory and in SQLite. */
export async function benchInventory(): Promise<Figures> {
  const registry = await startRegistry();
  const dir = mkdtempSync(join(tmpdir(), "repin-bench-inventory-"));
  try {
    const packages: Pkg[] = [
      ...wolfiBase,
      ...Array.from({ length: 120 }, (_, i): Pkg => [`lib-package-${i}`, `1.${i}.0-r${i % 4}`]),
    ];
    // A few MB of incompressible layers, the package database in the middle one.
    const layers = [
      await layer([filler("usr/lib/libc.so.6", 2_000_000), filler("usr/lib/libstdc++.so.6", 1_000_000)]),
      await layer([filler("usr/lib/libssl.so.3", 600_000)]),
      await apkDbLayer(packages),
      await layer([filler("usr/bin/python3", 1_500_000)]),
      await layer([filler("app/server", 800_000)]),
    ];
    const image = await pushRawImage(registry, "bench/inventory", "latest", layers);
    const layerBytes = layers.reduce((n, l) => n + l.length, 0);
    const memory = createMemoryInventoryCache();
    const dataDir = join(dir, "data");
    const cold = await timed(registry, image.digest, memory);
    const warm = await timed(registry, image.digest, memory);
    const written = await openStoreDir(dataDir);
    await timed(registry, image.digest, written.inventories);
    await written.close();
    const reopened = await openStoreDir(dataDir);
    const sqlite = await timed(registry, image.digest, reopened.inventories);
    await reopened.close();
    return {
      "image layers (bytes)": layerBytes,
      "layer count": layers.length,
      packages: cold.packages,
      "cold: bytes read": cold.bytesRead,
      "cold: ms": cold.ms,
      "cold: blob requests": cold.blobRequests,
      // A cached inventory reads no layer again.
      "memory cache: bytes read": atMost(warm.bytesRead, 0),
      "memory cache: ms": warm.ms,
      "memory cache: registry requests": warm.requests,
      "sqlite after reopen: bytes read": atMost(sqlite.bytesRead, 0),
      "sqlite after reopen: ms": sqlite.ms,
      "sqlite after reopen: registry requests": sqlite.requests,
    };
  } finally {
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timed(registry: TestRegistry, digest: string, cache: InventoryCache) {
  await registry.settle();
  const before = registry.requests().length;
  const client = createRegistry({ keychain: anonymousKeychain });
  const start = performance.now();
  const result = await inventoryFor(client, { registry: registry.host, repository: "bench/inventory" }, digest, {
    cache,
    maxBytes: 256 * 1024 * 1024,
  });
  const ms = Math.round((performance.now() - start) * 10) / 10;
  if (!result.ok) throw new Error(`inventory failed: ${result.reason}`);
  await registry.settle();
  const requests = registry.requests().slice(before);
  return {
    ms,
    bytesRead: result.bytesRead,
    packages: result.inventory.packages.length,
    requests: requests.length,
    blobRequests: requests.filter((r) => r.path.includes("/blobs/")).length,
  };
}
