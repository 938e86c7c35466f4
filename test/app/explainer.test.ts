import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFeedFetcher } from "../../src/advisory-feeds/index.js";
import { createAdvisoryStore } from "../../src/explain/index.js";
import { createExplainer, type Bump } from "../../src/github/index.js";
import { createLayerCache, createMemoryInventoryCache } from "../../src/inventory/index.js";
import { createRegistry } from "../../src/registry/index.js";
import { openStoreDir } from "../../src/store/index.js";
import { sha256, startRegistry, type TestRegistry } from "../support/registry/index.js";
import { apkDbLayer, pushRawImage, secdb, startFeedServer, wolfiBase, type FeedServer } from "../explain/images.js";

// The App's explainer against the real registry: memoized explanations, sticky security verdicts.
let registry: TestRegistry;
let feeds: FeedServer;
beforeAll(async () => {
  [registry, feeds] = await Promise.all([startRegistry(), startFeedServer()]);
});
afterAll(async () => {
  await feeds?.stop();
  await registry?.stop();
});

describe("createExplainer", () => {
  it("keeps a bump's security verdict when the registry fails later, and says the failure may pass", async () => {
    const oldLayer = await apkDbLayer([...wolfiBase, ["openssl", "3.3.1-r0"]]);
    const newLayer = await apkDbLayer([...wolfiBase, ["openssl", "3.3.2-r0"]]);
    const old = await pushRawImage(registry, "sticky", "old", [oldLayer]);
    const fresh = await pushRawImage(registry, "sticky", "latest", [newLayer]);
    feeds.set("/s.json", secdb({ openssl: { "3.3.2-r0": ["CVE-2024-5535"] } }));
    const advisories = createAdvisoryStore({
      feeds: [{ format: "secdb", ecosystem: "wolfi", url: `${feeds.url}/s.json` }],
      fetcher: createFeedFetcher(),
    });
    await advisories.refresh();
    // No inventory and no layer is kept: every explanation reads the registry.
    const explainer = createExplainer({
      advisories,
      cache: createMemoryInventoryCache(0),
      layers: createLayerCache(0),
    });
    const bump = bumpOf("sticky", old.digest, fresh.digest);
    const client = createRegistry();
    expect(await explainer.fixes(client, bump, "linux/amd64")).toEqual({ fixed: ["CVE-2024-5535"], transient: false });

    // The new image's layer disappears, and the feed changes (so the memo no longer answers).
    const gone = await fetch(`${registry.url}/v2/sticky/blobs/${sha256(newLayer)}`, { method: "DELETE" });
    expect(gone.status).toBe(202);
    feeds.set(
      "/s.json",
      secdb({ openssl: { "3.3.2-r0": ["CVE-2024-5535"] }, zlib: { "1.3.1-r0": ["CVE-2023-45853"] } }),
    );
    await advisories.refresh();
    const explanation = await explainer.explain(client, bump, "linux/amd64");
    expect(explanation.failures).toEqual(["registry"]);
    expect(await explainer.fixes(client, bump, "linux/amd64")).toEqual({ fixed: ["CVE-2024-5535"], transient: true });
    // A bump never found to fix anything stays at none.
    expect(
      await explainer.fixes(client, { ...bump, currentDigest: fresh.digest, newDigest: fresh.digest }, "linux/amd64"),
    ).toEqual({ fixed: [], transient: true });
  });

  it("keeps the verdict across a restart: a new process's explainer reads it from the store", async () => {
    const oldLayer = await apkDbLayer([...wolfiBase, ["openssl", "3.3.1-r0"]]);
    const newLayer = await apkDbLayer([...wolfiBase, ["openssl", "3.3.2-r1"]]);
    const old = await pushRawImage(registry, "restarted", "old", [oldLayer]);
    const fresh = await pushRawImage(registry, "restarted", "latest", [newLayer]);
    feeds.set("/r.json", secdb({ openssl: { "3.3.2-r1": ["CVE-2024-5535"] } }));
    const advisoriesOf = async () => {
      const advisories = createAdvisoryStore({
        feeds: [{ format: "secdb", ecosystem: "wolfi", url: `${feeds.url}/r.json` }],
        fetcher: createFeedFetcher(),
      });
      await advisories.refresh();
      return advisories;
    };
    const bump = bumpOf("restarted", old.digest, fresh.digest);
    const dir = mkdtempSync(join(tmpdir(), "repin-verdicts-"));
    try {
      const before = await openStoreDir(dir);
      const first = createExplainer({
        advisories: await advisoriesOf(),
        cache: createMemoryInventoryCache(0),
        verdicts: before.verdicts,
      });
      expect(await first.fixes(createRegistry(), bump, "linux/amd64")).toEqual({
        fixed: ["CVE-2024-5535"],
        transient: false,
      });
      await before.close();

      // Down while the registry lost the layer: the new process cannot read the image.
      const gone = await fetch(`${registry.url}/v2/restarted/blobs/${sha256(newLayer)}`, { method: "DELETE" });
      expect(gone.status).toBe(202);
      const after = await openStoreDir(dir);
      const second = createExplainer({
        advisories: await advisoriesOf(),
        cache: createMemoryInventoryCache(0),
        verdicts: after.verdicts,
      });
      expect(await second.fixes(createRegistry(), bump, "linux/amd64")).toEqual({
        fixed: ["CVE-2024-5535"],
        transient: true,
      });
      await after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A Dockerfile's bump of `<registry>/<repository>:latest` from `currentDigest` to `newDigest`. */
function bumpOf(repository: string, currentDigest: string, newDigest: string): Bump {
  return {
    file: "Dockerfile",
    kind: "dockerfile",
    line: 1,
    image: "x",
    tag: "latest",
    newTag: null,
    currentDigest,
    newDigest,
    action: "bump",
    reason: null,
    source: { registry: registry.host, repository },
    created: null,
    platforms: [],
    edits: [],
  } as Bump;
}
