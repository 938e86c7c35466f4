import { performance } from "node:perf_hooks";
import { lookUp, planOptionsFrom } from "../src/lookup/index.js";
import { parseRepinConfig } from "../src/config/index.js";
import { planUpdates, scanFiles, type SourceFile } from "../src/plan/index.js";
import { anonymousKeychain, createRegistry, memoizeRegistry } from "../src/registry/index.js";
import { atMost, type Figures } from "./budget.js";
import { pushImage, startFaultProxy, startRegistry, type TestRegistry } from "../test/support/registry/index.js";

/** SPEC 9 registry budgets, counted from the real registry's access log. */

function defaults() {
  const parsed = parseRepinConfig("");
  if (!parsed.ok) throw new Error("default config does not parse");
  return parsed.config;
}

async function countedRun(registry: TestRegistry, files: SourceFile[], updateTags: "none" | "patch") {
  await registry.settle();
  const before = registry.requests().length;
  const client = memoizeRegistry(createRegistry({ keychain: anonymousKeychain, tagPageSize: 100 }));
  const options = planOptionsFrom(defaults(), { updateTags });
  const start = performance.now();
  const scanned = scanFiles(files);
  const plan = planUpdates(scanned, await lookUp(scanned, client, options), options);
  const ms = Math.round(performance.now() - start);
  await registry.settle();
  return { plan, ms, requests: registry.requests().slice(before) };
}

/** Many files sharing few images: one manifest request per unique reference. */
export async function benchManifestRequests(): Promise<Figures> {
  const registry = await startRegistry();
  try {
    const images = ["base", "runtime", "builder", "tools", "static"];
    const pinned: string[] = [];
    for (const name of images) {
      pinned.push((await pushImage(registry, `bench/${name}`, "stable", { created: "2026-01-01T00:00:00Z" })).digest);
      await pushImage(registry, `bench/${name}`, "stable", { created: "2026-01-02T00:00:00Z" });
    }
    const files: SourceFile[] = Array.from({ length: 2_000 }, (_, i) => {
      const a = i % images.length;
      const b = (i * 3 + 1) % images.length;
      return {
        path: `repo${i}/Dockerfile`,
        content: `FROM ${registry.host}/bench/${images[a]}:stable@${pinned[a]} AS build\nFROM ${registry.host}/bench/${images[b]}:stable\n`,
      };
    });
    const { plan, ms, requests } = await countedRun(registry, files, "none");
    const byTag = requests.filter((request) => /\/manifests\/stable$/.test(request.path)).length;
    const byDigest = requests.filter((request) => /\/manifests\/sha256:/.test(request.path)).length;
    return {
      files: files.length,
      references: plan.updates.length,
      "unique references": images.length,
      "manifest requests by tag": byTag,
      "manifest requests by tag per unique reference": atMost(+(byTag / images.length).toFixed(2), 1),
      "manifest reads by digest (only for moved digests)": byDigest,
      "all registry requests": requests.length,
      "wall ms": ms,
    };
  } finally {
    await registry.stop();
  }
}

/**
 * Many files sharing few repositories with hundreds of tags: tag lists fetched once per repository.
 * distribution 2.8 ignores `n`, so the registry sits behind the test proxy that pages its tag lists
 * (100 a page, `Link` headers), as Docker Hub and GHCR do; requests are counted at that proxy.
 */
export async function benchTagLists(): Promise<Figures> {
  const registry = await startRegistry();
  const paging = await startFaultProxy(registry.url, { paginateTags: true });
  try {
    const repositories = ["bench/python", "bench/node", "bench/go"];
    for (const repository of repositories) {
      for (let patch = 0; patch < 300; patch++)
        await pushImage(registry, repository, `1.${Math.floor(patch / 30)}.${patch % 30}-slim`);
    }
    const files: SourceFile[] = Array.from({ length: 600 }, (_, i) => ({
      path: `repo${i}/Dockerfile`,
      content: `FROM ${paging.host}/${repositories[i % repositories.length]}:1.${i % 10}.${i % 7}-slim\n`,
    }));
    const client = memoizeRegistry(createRegistry({ keychain: anonymousKeychain, tagPageSize: 100 }));
    const options = planOptionsFrom(defaults(), { updateTags: "patch" });
    const start = performance.now();
    const scanned = scanFiles(files);
    const plan = planUpdates(scanned, await lookUp(scanned, client, options), options);
    const ms = Math.round(performance.now() - start);
    const requests = paging.requests();
    const listRequests = requests.filter((request) => request.path.includes("/tags/list"));
    const manifestRequests = requests.filter((request) => request.path.includes("/manifests/"));
    return {
      files: files.length,
      repositories: repositories.length,
      "tags per repository": 300,
      "tag list pages fetched (100 a page)": listRequests.length,
      // 300 tags, 100 a page: 3 pages, each fetched once.
      "tag list pages per repository": atMost(+(listRequests.length / repositories.length).toFixed(2), 3),
      "manifest requests (one per unique target tag)": manifestRequests.length,
      "tag bumps planned": plan.updates.filter((update) => update.newTag !== null).length,
      "all registry requests": requests.length,
      "wall ms": ms,
    };
  } finally {
    await paging.stop();
    await registry.stop();
  }
}
