import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFeedFetcher } from "../../src/advisory-feeds/index.js";
import { escapeMarkdown } from "../../src/markdown/index.js";
import {
  cachedInventory,
  createAdvisoryStore,
  defaultAdvisoryFeeds,
  explainBump,
  inventoryFor,
  isSecurityFix,
  parseAdvisoryFeeds,
  pendingAdvisories,
  renderExplanation,
  splitPending,
  type Explanation,
} from "../../src/explain/index.js";
import { createMemoryInventoryCache } from "../../src/inventory/index.js";
import { createRegistry } from "../../src/registry/index.js";
import { startRegistry, type TestRegistry } from "../support/registry/index.js";
import {
  apkDbLayer,
  filler,
  layer,
  pushRawImage,
  secdb,
  startFeedServer,
  wolfiBase,
  type FeedServer,
} from "./images.js";

let registry: TestRegistry;
let feeds: FeedServer;
let oldDigest: string;
let newDigest: string;
const cve = "CVE-2024-5535";

beforeAll(async () => {
  [registry, feeds] = await Promise.all([startRegistry(), startFeedServer()]);
  const image = async (packages: Parameters<typeof apkDbLayer>[0], tag: string) =>
    (
      await pushRawImage(registry, "chainguard/static", tag, [
        await layer([filler("usr/lib/libc.so", 100_000)]),
        await apkDbLayer(packages),
        await layer([filler("etc/ssl/certs/bundle.pem", 20_000)]),
      ])
    ).digest;
  oldDigest = await image(
    [...wolfiBase, ["openssl", "3.3.1-r0"], ["libcrypto3", "3.3.1-r0", "openssl"], ["busybox", "1.36.1-r1"]],
    "old",
  );
  newDigest = await image(
    [...wolfiBase, ["openssl", "3.3.2-r0"], ["libcrypto3", "3.3.2-r0", "openssl"], ["curl", "8.10.1-r0"]],
    "latest",
  );
  feeds.set(
    "/os/security.json",
    secdb({ openssl: { "3.3.2-r0": [cve], "3.0.0-r0": ["CVE-2021-3711"] }, curl: { "8.11.0-r0": ["CVE-2024-9681"] } }),
  );
});
afterAll(async () => {
  await feeds?.stop();
  await registry?.stop();
});

const repo = () => ({ registry: registry.host, repository: "chainguard/static" });

async function wolfiStore() {
  const store = createAdvisoryStore({
    feeds: [{ format: "secdb", ecosystem: "wolfi", url: `${feeds.url}/os/security.json` }],
    fetcher: createFeedFetcher(),
  });
  expect(await store.refresh()).toEqual({ problems: [] });
  return store;
}

describe("explainBump end to end", () => {
  it("finds the openssl upgrade and the advisory it fixes, and the one the new curl brings in", async () => {
    const explanation = await explainBump({
      registry: createRegistry(),
      repo: repo(),
      oldDigest,
      newDigest,
      cache: createMemoryInventoryCache(),
      advisories: await wolfiStore(),
    });
    expect(explanation.ecosystem).toBe("wolfi");
    expect(explanation.problems).toEqual([]);
    expect(explanation.diff?.upgraded).toEqual([
      { name: "libcrypto3", arch: "x86_64", from: "3.3.1-r0", to: "3.3.2-r0" },
      { name: "openssl", arch: "x86_64", from: "3.3.1-r0", to: "3.3.2-r0" },
    ]);
    expect(explanation.diff?.added.map((p) => p.name)).toEqual(["curl"]);
    expect(explanation.diff?.removed.map((p) => p.name)).toEqual(["busybox"]);
    expect(explanation.fixed).toEqual([
      expect.objectContaining({
        id: cve,
        package: "openssl",
        oldVersion: "3.3.1-r0",
        newVersion: "3.3.2-r0",
        fixedIn: "3.3.2-r0",
      }),
    ]);
    expect(explanation.introduced).toEqual([
      expect.objectContaining({ id: "CVE-2024-9681", package: "curl", newVersion: "8.10.1-r0", via: "added" }),
    ]);
    expect(isSecurityFix(explanation)).toBe(true);
    const body = renderExplanation(explanation);
    expect(body).toContain(`| [${cve}](https://nvd.nist.gov/vuln/detail/${cve}) | openssl | 3.3.1-r0 → 3.3.2-r0 | — |`);
    expect(body).toContain("#### Advisories introduced");
    expect(body).toMatch(
      /<details>\n<summary>Package changes \(4\)<\/summary>[\s\S]*- openssl \(x86\\_64\): 3.3.1-r0 → 3.3.2-r0[\s\S]*<\/details>/,
    );
  });

  it("still explains without advisories when an image cannot be read, saying why", async () => {
    const missing = `sha256:${"b".repeat(64)}`;
    const explanation = await explainBump({
      registry: createRegistry(),
      repo: repo(),
      oldDigest: missing,
      newDigest,
      cache: createMemoryInventoryCache(),
      advisories: await wolfiStore(),
    });
    expect(explanation).toMatchObject({ diff: null, fixed: [], introduced: [] });
    expect(explanation.problems).toEqual([
      expect.stringMatching(/^could not read the old image sha256:bbbbbbbbbbbb: .*not-found/),
    ]);
    expect(isSecurityFix(explanation)).toBe(false);
    expect(renderExplanation(explanation)).toContain("could not be compared");
  });

  it("says a fix exists when the tag's current image carries it, and waits for upstream otherwise", async () => {
    const store = await wolfiStore();
    const cache = createMemoryInventoryCache();
    const pinned = await inventoryFor(createRegistry(), repo(), oldDigest, { cache, maxBytes: 1e8 });
    const current = await inventoryFor(createRegistry(), repo(), newDigest, { cache, maxBytes: 1e8 });
    if (!pinned.ok || !current.ok) throw new Error("images did not read");
    // The cache alone answers for digests read before, and never asks the registry for others.
    expect((await cachedInventory(cache, oldDigest))?.packages).toEqual(pinned.inventory.packages);
    expect(await cachedInventory(cache, `sha256:${"c".repeat(64)}`)).toBeUndefined();
    const pending = pendingAdvisories(pinned.inventory, store);
    expect(pending.map((p) => [p.id, p.package, p.installedVersion, p.fixedIn])).toEqual([
      [cve, "openssl", "3.3.1-r0", "3.3.2-r0"],
    ]);
    expect(splitPending(pending, current.inventory, store)).toEqual({ fixAvailable: pending, waitingForUpstream: [] });
    expect(splitPending(pending, pinned.inventory, store)).toEqual({ fixAvailable: [], waitingForUpstream: pending });
  });
});

describe("createAdvisoryStore", () => {
  it("revalidates with ETag (304 keeps the parsed feed) and keeps the last copy when a feed fails", async () => {
    feeds.set(
      "/alpine/v3.20/main.json",
      JSON.stringify({
        distroversion: "v3.20",
        packages: [{ pkg: { name: "openssl", secfixes: { "3.3.2-r0": [cve] } } }],
      }),
    );
    const url = `${feeds.url}/alpine/v3.20/main.json`;
    const store = createAdvisoryStore({
      feeds: [{ format: "secdb", ecosystem: "alpine", url }],
      fetcher: createFeedFetcher(),
    });
    await store.refresh();
    expect(store.advisoriesFor("alpine", ["openssl", "zlib"]).map((a) => a.id)).toEqual([cve]);
    expect(store.advisoriesFor("wolfi", ["openssl"])).toEqual([]);
    await store.refresh();
    expect(
      feeds
        .requests()
        .filter(([path]) => path === "/alpine/v3.20/main.json")
        .map(([, status]) => status),
    ).toEqual([200, 304]);
    feeds.set("/alpine/v3.20/main.json", "");
    expect((await store.refresh()).problems).toEqual([expect.stringContaining("not JSON")]);
    expect(store.advisoriesFor("alpine", ["openssl"]).map((a) => a.id)).toEqual([cve]);
    const broken = createAdvisoryStore({
      feeds: [
        { format: "secdb", ecosystem: "alpine", url },
        { format: "osv", url: `${feeds.url}/missing.json` },
      ],
      fetcher: createFeedFetcher(),
    });
    const result = await broken.refresh();
    expect(result.problems).toEqual([expect.stringContaining("not JSON"), `${feeds.url}/missing.json: HTTP 404`]);
  });

  it("reads operator feed lists as JSON or format:ecosystem:url, defaulting to the public feeds", () => {
    expect(parseAdvisoryFeeds(undefined).feeds).toEqual(defaultAdvisoryFeeds);
    expect(
      parseAdvisoryFeeds("secdb:wolfi:http://127.0.0.1:1/os/security.json, osv:https://example.org/osv.json").feeds,
    ).toEqual([
      { format: "secdb", ecosystem: "wolfi", url: "http://127.0.0.1:1/os/security.json" },
      { format: "osv", url: "https://example.org/osv.json" },
    ]);
    expect(parseAdvisoryFeeds('[{"format":"osv","ecosystem":"debian","url":"https://x.test/a.json"}]').feeds).toEqual([
      { format: "osv", ecosystem: "debian", url: "https://x.test/a.json" },
    ]);
    expect(parseAdvisoryFeeds("secdb:https://x.test/a.json,rss:alpine:https://x.test/b").problems).toEqual([
      'REPIN_ADVISORY_FEEDS entry 1: a secdb feed needs an ecosystem (one of alpine, wolfi, chainguard, debian), as secdb:<ecosystem>:<url> or "ecosystem" in JSON',
      "REPIN_ADVISORY_FEEDS entry 2: format must be secdb or osv",
    ]);
  });
});

describe("renderExplanation", () => {
  const hostile: Explanation = {
    ecosystem: "alpine",
    problems: [],
    diff: {
      added: [{ name: "evil|<img src=x>`@admin`", version: "1.0-r0" }],
      removed: [],
      upgraded: [],
      downgraded: [],
    },
    fixed: [
      {
        id: "CVE-1|x",
        aliases: [],
        package: "pkg<script>",
        oldVersion: "1",
        newVersion: "2",
        url: "javascript:alert(1)",
        via: "version-change",
        severity: { type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N" },
      },
    ],
    introduced: [],
  };

  it("escapes names, versions and ids from images and feeds, and drops non-https links", () => {
    const body = renderExplanation(hostile);
    expect(body).not.toContain("<img");
    expect(body).not.toContain("<script");
    expect(body).not.toContain("@admin");
    expect(body).not.toContain("javascript:");
    expect(body).toContain("| CVE-1\\|x | pkg&lt;script&gt; | 1 → 2 | CVSS 3.1 AV:N/C:H/I:H/A:N |");
    expect(escapeMarkdown("a|b`c<d@e", { tableCell: true })).toBe("a\\|b\\`c&lt;d@\u200be");
  });

  it("caps the section and says how much was cut", () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({ name: `package-${i}`, from: "1.0-r0", to: "1.0-r1" }));
    const big: Explanation = {
      ...hostile,
      fixed: [],
      diff: { added: [], removed: [], upgraded: many, downgraded: [] },
    };
    const body = renderExplanation(big, { maxChars: 5000 });
    expect(body.length).toBeLessThanOrEqual(5000);
    expect(body).toMatch(/_\d+ more lines were cut to keep this section under 5000 characters\._/);
    expect(body).toContain("</details>");
    expect(renderExplanation(big).length).toBeLessThanOrEqual(20_000);
  });
});
