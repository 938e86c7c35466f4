import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  pushImage,
  pushIndex,
  startEtagProxy,
  startRegistry,
  type EtagProxy,
  type LoggedRequest,
  type TestRegistry,
} from "../support/registry/index.js";
import { json, workspace } from "./harness.js";
import { cacheDir, runProcess } from "./process.js";

/** SPEC 3 frugal by design: the disk cache between runs, tag lists and config blobs only when needed. */

let registry: TestRegistry;
let proxy: EtagProxy;
beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startEtagProxy(registry.url);
});
afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});

/** The registry requests `work` made, from its access log, as "METHOD kind" (manifests by tag or digest, blobs, tag lists). */
async function counted(work: () => Promise<unknown>): Promise<string[]> {
  await registry.settle();
  const before = registry.requests().length;
  await work();
  await registry.settle();
  return registry.requests().slice(before).map(kindOf).sort();
}

function kindOf(request: LoggedRequest): string {
  const kind = request.path.includes("/tags/list")
    ? "tags"
    : request.path.includes("/blobs/")
      ? "blob"
      : /\/manifests\/sha256:/.test(request.path)
        ? "manifest-by-digest"
        : request.path.includes("/manifests/")
          ? "manifest-by-tag"
          : request.path;
  return `${request.method} ${kind}`;
}

const amd64 = { os: "linux", architecture: "amd64" };
const arm64 = { os: "linux", architecture: "arm64" };

async function movedCorpus(prefix: string) {
  const single = await pushImage(registry, `${prefix}/single`, "3.12-slim", { created: "2026-01-01T00:00:00Z" });
  await pushImage(registry, `${prefix}/single`, "3.12-slim", { created: "2026-01-02T00:00:00Z" });
  const multi = await pushIndex(registry, `${prefix}/multi`, "bookworm", [
    { platform: amd64, created: "2026-01-01T00:00:00Z" },
    { platform: arm64, created: "2026-01-01T00:00:00Z" },
  ]);
  await pushIndex(registry, `${prefix}/multi`, "bookworm", [
    { platform: amd64, created: "2026-01-02T00:00:00Z" },
    { platform: arm64, created: "2026-01-02T00:00:00Z" },
  ]);
  return workspace({
    "a/Dockerfile": `FROM ${registry.host}/${prefix}/single:3.12-slim@${single.digest}\nFROM ${registry.host}/${prefix}/multi:bookworm@${multi.digest}\n`,
    "b/Dockerfile": `FROM ${registry.host}/${prefix}/multi:bookworm@${multi.digest}\n`,
  });
}

describe("the disk cache and frugal reads", () => {
  it("reads no tag list for tags that cannot move, config blobs only for single images; a second run costs one HEAD per tag", async () => {
    const dir = await movedCorpus("frugal");
    const env = { REPIN_CACHE_DIR: await cacheDir() };
    let first: Awaited<ReturnType<typeof runProcess>> | undefined;
    const cold = await counted(async () => (first = await runProcess(["scan", dir, "--json"], env)));
    expect(json(first!.stdout).updates.map((row) => row.action)).toEqual(["bump", "bump", "bump"]);
    // Two tags, the new and the pinned manifest of each; no tag list (3.12-slim under patch, bookworm); no
    // config blob: the file fixes no platform, and an index names its children's.
    expect(cold).toEqual([...Array(4).fill("GET manifest-by-digest"), ...Array(2).fill("HEAD manifest-by-tag")]);

    let second: Awaited<ReturnType<typeof runProcess>> | undefined;
    const warm = await counted(async () => (second = await runProcess(["scan", dir, "--json"], env)));
    expect(warm).toEqual(["HEAD manifest-by-tag", "HEAD manifest-by-tag"]);
    expect(second!.stdout).toBe(first!.stdout);

    // apply right after scan reuses what scan learnt.
    const apply = await counted(() => runProcess(["apply", dir], env));
    expect(apply).toEqual(["HEAD manifest-by-tag", "HEAD manifest-by-tag"]);
    expect((await runProcess(["scan", dir, "--json", "--exit-code"], env)).code).toBe(0);
  });

  it("never trusts a corrupt entry: it is fetched again and rewritten", async () => {
    const dir = await movedCorpus("corrupt");
    const cache = await cacheDir();
    const env = { REPIN_CACHE_DIR: cache };
    const good = await runProcess(["scan", dir, "--json"], env);
    const entries = (await readdir(join(cache, "v1"))).map((name) => join(cache, "v1", name));
    expect(entries.length).toBe(4);
    const originals = await Promise.all(entries.map((path) => readFile(path, "utf8")));
    // One entry is garbage; the others keep their key but carry another body (a planted manifest).
    await writeFile(entries[0]!, "{not json");
    for (const path of entries.slice(1)) {
      const entry = JSON.parse(await readFile(path, "utf8")) as { body: string };
      await writeFile(path, JSON.stringify({ ...entry, body: Buffer.from('{"schemaVersion":2}').toString("base64") }));
    }
    let again: Awaited<ReturnType<typeof runProcess>> | undefined;
    const requests = await counted(async () => (again = await runProcess(["scan", dir, "--json"], env)));
    expect(again!.stdout).toBe(good.stdout);
    expect(requests.filter((request) => request === "GET manifest-by-digest")).toHaveLength(4);
    expect(requests.filter((request) => request === "GET blob")).toHaveLength(0);
    expect(await Promise.all(entries.map((path) => readFile(path, "utf8")))).toEqual(originals);
  });

  it("is shared safely by concurrent runs: same answers, no temporary file left", async () => {
    const dir = await movedCorpus("concurrent");
    const cache = await cacheDir();
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => runProcess(["scan", dir, "--json"], { REPIN_CACHE_DIR: cache })),
    );
    expect(new Set(runs.map((run) => run.stdout)).size).toBe(1);
    expect(runs.map((run) => run.code)).toEqual([0, 0, 0, 0]);
    const names = await readdir(join(cache, "v1"));
    expect(names.filter((name) => !name.endsWith(".json"))).toEqual([]);
    expect(names).toHaveLength(4);
  });

  it("holds back a single image whose tag now serves another platform than the file fixes, from one config blob read once", async () => {
    const amd = await pushImage(registry, "switch/app", "1.0", { platform: amd64, created: "2026-01-01T00:00:00Z" });
    const arm = await pushImage(registry, "switch/app", "1.0", { platform: arm64, created: "2026-01-02T00:00:00Z" });
    const dir = await workspace({
      Dockerfile: `FROM --platform=linux/amd64 ${registry.host}/switch/app:1.0@${amd.digest}\n`,
    });
    const env = { REPIN_CACHE_DIR: await cacheDir() };
    let first: Awaited<ReturnType<typeof runProcess>> | undefined;
    const cold = await counted(async () => (first = await runProcess(["scan", dir, "--json", "--exit-code"], env)));
    expect(json(first!.stdout).updates).toEqual([
      expect.objectContaining({
        action: "skip",
        currentDigest: amd.digest,
        newDigest: null,
        code: "single-platform",
        reason: "held back: the tag now serves a single linux/arm64 image, not linux/amd64",
        edits: [],
      }),
    ]);
    expect(first!.code).toBe(0);
    expect(cold).toEqual(["GET blob", "GET manifest-by-digest", "GET manifest-by-digest", "HEAD manifest-by-tag"]);
    expect(await counted(() => runProcess(["scan", dir, "--json"], env))).toEqual(["HEAD manifest-by-tag"]);

    const human = await runProcess(["scan", dir], env);
    expect(human.stdout).toContain("held back: the tag now serves a single linux/arm64 image, not linux/amd64");
    // apply leaves it: the file still builds the amd64 image it pinned.
    await runProcess(["apply", dir], env);
    expect(await readFile(join(dir, "Dockerfile"), "utf8")).toContain(amd.digest);
    expect(arm.digest).not.toBe(amd.digest);
  });

  it("asks a tag list again with its ETag (through a proxy that adds one), and reads it whole where none is sent", async () => {
    await pushImage(registry, "etag/app", "1.2.3");
    await pushImage(registry, "etag/app", "1.2.4");
    const written = (host: string) => workspace({ Dockerfile: `FROM ${host}/etag/app:1.2.3\n` });
    const env = { REPIN_CACHE_DIR: await cacheDir() };

    const viaProxy = await written(proxy.host);
    for (let run = 0; run < 2; run++) {
      const result = await runProcess(["scan", viaProxy, "--json"], env);
      expect(json(result.stdout).updates[0]).toMatchObject({ action: "bump", newTag: "1.2.4" });
    }
    const lists = proxy.requests().filter((request) => request.path.includes("/tags/list"));
    expect(lists.map((request) => [request.conditional, request.status])).toEqual([
      [false, 200],
      [true, 304],
    ]);

    // The registry itself sends no ETag: each run reads the list, and nothing stale is kept for it.
    const direct = await written(registry.host);
    const plain = await counted(async () => {
      for (let run = 0; run < 2; run++) await runProcess(["scan", direct, "--json"], env);
    });
    expect(plain.filter((request) => request === "GET tags")).toHaveLength(2);
  });
});
