import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explainBump } from "../../src/explain/index.js";
import { createExplainer } from "../../src/github/explainer.js";
import { createLayerCache, createMemoryInventoryCache } from "../../src/inventory/index.js";
import { createRegistry, memoizeRegistry } from "../../src/registry/index.js";
import { sha256, startRegistry, type TestRegistry } from "../support/registry/index.js";
import { apkDbLayer, filler, layer, pushRawImage, wolfiBase } from "./images.js";

/**
 * Registry frugality (SPEC 9: what the PR body needs, once): a layer two images share (the base
 * under an old and a new image) is downloaded once, counted in the real registry's access log.
 */
let registry: TestRegistry;
let base: Buffer;
const digests: Record<string, string> = {};

beforeAll(async () => {
  registry = await startRegistry();
  base = await layer([filler("usr/lib/libbig.so", 200_000)]);
  const image = async (tag: string, openssl: string) =>
    (await pushRawImage(registry, "shared/base", tag, [base, await apkDbLayer([...wolfiBase, ["openssl", openssl]])]))
      .digest;
  digests.old = await image("old", "3.3.1-r0");
  digests.older = await image("older", "3.3.0-r0");
  digests.new = await image("new", "3.3.2-r0");
});
afterAll(async () => registry?.stop());

const repo = () => ({ registry: registry.host, repository: "shared/base" });
const advisories = { advisoriesFor: () => [] };

/** GETs of each blob path during `run`. */
async function blobGets(run: () => Promise<unknown>): Promise<Map<string, number>> {
  await registry.settle();
  const before = registry.requests().length;
  await run();
  await registry.settle();
  const counts = new Map<string, number>();
  for (const r of registry.requests().slice(before))
    if (r.method === "GET" && r.path.includes("/blobs/")) counts.set(r.path, (counts.get(r.path) ?? 0) + 1);
  return counts;
}

const basePath = () => `/v2/shared/base/blobs/${sha256(base)}`;

describe("a layer shared by images is downloaded once", () => {
  it("explaining a bump reads the base layer the old and new image share once, and still diffs them", async () => {
    let upgraded: string[] = [];
    const gets = await blobGets(async () => {
      const explanation = await explainBump({
        registry: createRegistry(),
        repo: repo(),
        oldDigest: digests.old!,
        newDigest: digests.new!,
        cache: createMemoryInventoryCache(),
        advisories,
        layers: createLayerCache(),
      });
      upgraded = explanation.diff?.upgraded.map((c) => `${c.name} ${c.from} → ${c.to}`) ?? [];
    });
    expect(upgraded).toEqual(["openssl 3.3.1-r0 → 3.3.2-r0"]);
    expect(gets.get(basePath())).toBe(1);
    expect([...gets.values()].every((n) => n === 1)).toBe(true);
  });

  it("two bumps to one new image, explained at once by the App's explainer, read each blob once", async () => {
    const explainer = createExplainer({ advisories, cache: createMemoryInventoryCache() });
    const registryView = memoizeRegistry(createRegistry());
    const bump = (from: string) =>
      ({
        action: "bump",
        source: repo(),
        currentDigest: digests[from]!,
        newDigest: digests.new!,
        tag: from,
      }) as unknown as Parameters<typeof explainer.explain>[1];
    const gets = await blobGets(() =>
      Promise.all([
        explainer.explain(registryView, bump("old"), "linux/amd64"),
        explainer.explain(registryView, bump("older"), "linux/amd64"),
      ]),
    );
    expect(gets.get(basePath())).toBe(1);
    expect([...gets].filter(([, n]) => n > 1)).toEqual([]);
  });
});
