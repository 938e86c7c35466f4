import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { atMost, type Figures } from "./budget.js";
import buildCliWhenStale from "../test/support/build-cli.js";
import { workspace } from "../test/cli/harness.js";
import {
  pushImage,
  pushIndex,
  startRegistry,
  startSilentServer,
  type LoggedRequest,
  type TestRegistry,
} from "../test/support/registry/index.js";

/**
 * SPEC 9: the CLI run once per repository (as CI or the Action runs it) on 10 repositories × 5
 * Dockerfiles × 2 references sharing 6 tags that all moved, half of them multi-arch indexes,
 * against the real registry, counted from its access log. Renovate 44 makes 144 requests there
 * (measured elsewhere, on the same corpus).
 */

const RENOVATE = 144;
const REPOSITORIES = 10;
const TAGS = [
  ["bench/python", "3.12-slim"],
  ["bench/node", "22-alpine"],
  ["bench/debian", "bookworm"],
  ["bench/golang", "1.25"],
  ["bench/nginx", "latest"],
  ["bench/alpine", "3.20"],
] as const;

const MAIN = new URL("../dist/cli/main.js", import.meta.url).pathname;

function repin(argv: string[], cache: string): Promise<number | null> {
  const child = spawn(process.execPath, [MAIN, ...argv], {
    env: { PATH: process.env.PATH, HOME: "/nonexistent", DOCKER_CONFIG: "/nonexistent", REPIN_CACHE_DIR: cache },
    stdio: "ignore",
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
}

async function counted(registry: TestRegistry, work: () => Promise<unknown>): Promise<LoggedRequest[]> {
  await registry.settle();
  const before = registry.requests().length;
  await work();
  await registry.settle();
  return registry.requests().slice(before);
}

/** The corpus: every tag pushed, pinned in the files, then moved; half the tags are indexes. */
async function corpus(registry: TestRegistry): Promise<string> {
  const amd64 = { os: "linux", architecture: "amd64" };
  const arm64 = { os: "linux", architecture: "arm64" };
  const pinned: string[] = [];
  for (const [i, [name, tag]] of TAGS.entries()) {
    const push = (created: string) =>
      i % 2 === 0
        ? pushIndex(registry, name, tag, [
            { platform: amd64, created },
            { platform: arm64, created },
          ])
        : pushImage(registry, name, tag, { created });
    pinned.push((await push("2026-01-01T00:00:00Z")).digest);
    await push("2026-01-02T00:00:00Z");
  }
  const files: Record<string, string> = {};
  for (let repo = 0; repo < REPOSITORIES; repo++) {
    for (let file = 0; file < 5; file++) {
      const lines = [0, 1].map((ref) => {
        const t = (file * 2 + ref) % TAGS.length;
        return `FROM ${registry.host}/${TAGS[t]![0]}:${TAGS[t]![1]}@${pinned[t]}${ref === 0 ? " AS build" : ""}`;
      });
      files[`repo${repo}/service${file}/Dockerfile`] = `${lines.join("\n")}\n`;
    }
  }
  return workspace(files);
}

export async function benchCliRuns(): Promise<Figures> {
  buildCliWhenStale();
  const registry = await startRegistry();
  try {
    const root = await corpus(registry);
    const cache = await mkdtemp(join(tmpdir(), "repin-bench-cache-"));
    const heads: number[] = [];
    let perRepository = 0;
    let byDigest = 0;
    const start = performance.now();
    for (let repo = 0; repo < REPOSITORIES; repo++) {
      const made = await counted(registry, () => repin(["scan", join(root, `repo${repo}`)], cache));
      heads.push(made.filter((request) => request.method === "HEAD").length);
      byDigest += made.filter((request) => /\/manifests\/sha256:/.test(request.path)).length;
      perRepository += made.length;
    }
    const perRepositoryMs = Math.round(performance.now() - start);
    const cold = await mkdtemp(join(tmpdir(), "repin-bench-cache-"));
    const once = await counted(registry, () => repin(["scan", root], cold));
    return {
      corpus: `${REPOSITORIES} repositories × 5 Dockerfiles × 2 references, ${TAGS.length} tags (all moved, 3 indexes)`,
      "Renovate 44, same corpus (measured elsewhere)": RENOVATE,
      "requests, CLI once per repository (disk cache)": atMost(perRepository, 79),
      "most HEADs in one run": atMost(Math.max(...heads), TAGS.length),
      "manifests by digest across the ten runs": byDigest,
      "requests, CLI once over all ten (cold cache)": atMost(once.length, 19),
      "wall ms, ten runs": perRepositoryMs,
    };
  } finally {
    await registry.stop();
  }
}

/** A registry host that accepts connections and never answers: three references, `--timeout 5`. */
export async function benchDeadHost(): Promise<Figures> {
  buildCliWhenStale();
  const silent = await startSilentServer();
  try {
    const dir = await workspace({
      Dockerfile: ["a:1", "b:3.12-slim", "c:latest"].map((ref) => `FROM ${silent.host}/team/${ref}`).join("\n"),
    });
    const cache = await mkdtemp(join(tmpdir(), "repin-bench-cache-"));
    const start = performance.now();
    await repin(["scan", dir, "--timeout", "5"], cache);
    return {
      "wall ms, 3 references on a silent host, --timeout 5": Math.round(performance.now() - start),
      "requests the silent host got": silent.requests(),
    };
  } finally {
    await silent.stop();
  }
}
