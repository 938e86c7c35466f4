import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explainBump, inventoryFor, renderExplanation } from "../../src/explain/index.js";
import { createMemoryInventoryCache } from "../../src/inventory/index.js";
import { createRegistry } from "../../src/registry/index.js";
import { startRegistry, type TestRegistry } from "../support/registry/index.js";
import { gzipBomb } from "../inventory/bomb.js";
import { apkDbLayer, pushRawImage, wolfiBase } from "./images.js";

// Gzip bombs pushed to the real registry and read with the App's defaults (SPEC 10): a reason,
// never a crash, and the explanation says the packages could not be compared.

const MiB = 1024 * 1024;
let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry?.stop();
});

const repo = () => ({ registry: registry.host, repository: "bombs/app" });
const client = () => createRegistry({ backoffBaseMs: 1 });
const push = async (tag: string, layers: Buffer[]) => (await pushRawImage(registry, "bombs/app", tag, layers)).digest;

describe("gzip bombs through the real registry", () => {
  it("a status.d bomb (1 MB of gzip, 1008 MiB of tar) is refused at the package database cap and not cached", async () => {
    const entries = Array.from({ length: 16 }, (_, i) => ({ name: `var/lib/dpkg/status.d/p${i}`, size: 63 * MiB }));
    const bomb = gzipBomb(entries);
    expect(bomb.length).toBeLessThan(1.1e6);
    const digest = await push("status-d", [await apkDbLayer(wolfiBase), bomb]);
    const cache = createMemoryInventoryCache();
    const r = await inventoryFor(client(), repo(), digest, { cache, maxBytes: 512 * MiB });
    expect(r).toMatchObject({
      ok: false,
      failure: "too-large",
      reason: expect.stringMatching(/^layer sha256:\w+: var\/lib\/dpkg\/status\.d\/p0 .*package database over 32 MiB$/),
    });
    expect(await cache.get(digest)).toBeUndefined();
  });

  it("a layer of zeros over 1 GiB uncompressed ends the read; the PR explanation says why", async () => {
    const before = await push("before", [await apkDbLayer(wolfiBase)]);
    const after = await push("after", [await apkDbLayer(wolfiBase), gzipBomb([{ name: "zeros", size: 1025 * MiB }])]);
    const explanation = await explainBump({
      registry: client(),
      repo: repo(),
      oldDigest: before,
      newDigest: after,
      cache: createMemoryInventoryCache(),
      advisories: { advisoriesFor: () => [] },
    });
    expect(explanation).toMatchObject({ diff: null, failures: ["too-large"] });
    expect(explanation.problems).toEqual([
      expect.stringMatching(
        /^could not read the new image sha256:\w+: layer sha256:\w+: layer over 1024 MiB uncompressed$/,
      ),
    ]);
    expect(renderExplanation(explanation)).toContain("could not be compared");
  });
});
