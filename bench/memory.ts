/**
 * Resident memory of the App tracking many repositories (SPEC 9: 10,000 under 300 MB), and the
 * GitHub cost of a cycle that finds nothing new. The GitHub simulator runs in a child process
 * (its memory is not ours) and is seeded from Node: N repositories (default 10,000;
 * REPIN_BENCH_MEMORY_REPOS changes it), 5,000 per installation, each with 1-3 Dockerfiles pinned
 * to one of 10 images in the real docker-registry, no two files alike. Repin is loaded after the
 * baseline is taken. The steady cycle's listing pages are not 304s: the cold cycle's dashboard
 * issues changed open_issues_count; a third cycle would get them free.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { startSimulatorProcess, type SeedRepo } from "../test/support/github/index.js";
import { pushImage } from "../test/support/registry/push.js";
import { startRegistry } from "../test/support/registry/registry.js";
import { atMost, type Figures } from "./budget.js";
import { APP_ID, appKeyPair, loadRepin, round, timed } from "./support.js";

const IMAGES = 10;
const REPOS_PER_INSTALLATION = 5000;
const SEED_BATCH = 1000;

export async function benchMemory(): Promise<Figures> {
  const repos = Number(process.env.REPIN_BENCH_MEMORY_REPOS ?? 10_000);
  const registry = await startRegistry();
  const sim = await startSimulatorProcess({ validate: false });
  try {
    const { privateKey, publicKey } = appKeyPair();
    await sim.call("createApp", { appId: APP_ID, publicKey });
    const digests: string[] = [];
    for (let i = 0; i < IMAGES; i++) digests.push((await pushImage(registry, `img${i}`, "latest")).digest);
    const from = (i: number) => `FROM ${registry.host}/img${i % IMAGES}:latest@${digests[i % IMAGES]}\n`;

    const seedStart = Date.now();
    let dockerfiles = 0;
    for (let first = 0; first < repos; first += REPOS_PER_INSTALLATION) {
      const owner = `org${first / REPOS_PER_INSTALLATION}`;
      const { id: installationId } = await sim.call("createInstallation", { appId: APP_ID, account: owner });
      for (let start = first; start < Math.min(repos, first + REPOS_PER_INSTALLATION); start += SEED_BATCH) {
        const batch: SeedRepo[] = [];
        for (let r = start; r < Math.min(repos, first + REPOS_PER_INSTALLATION, start + SEED_BATCH); r++) {
          // Each file's text is its own (as in real repositories), so no blob is shared between them.
          const label = `LABEL org.opencontainers.image.source=https://github.com/${owner}/repo${r}\n`;
          const files: Record<string, string> = {
            Dockerfile: `${from(r)}${label}RUN true\n`,
            "README.md": `# repo${r}\n`,
          };
          if (r % 3 === 0) files["services/api/Dockerfile"] = `${from(r + 3)}${label}COPY . /app\n`;
          if (r % 7 === 0) files["tools/build/Dockerfile"] = `${from(r + 7)}${label}RUN make\n`;
          dockerfiles += Object.keys(files).length - 1;
          batch.push({ name: `repo${r}`, files });
        }
        await sim.call("seed", { owner, installationId, repos: batch });
      }
    }
    const seedMs = Date.now() - seedStart;

    collectGarbage();
    const baseline = process.memoryUsage();
    const repin = await loadRepin(privateKey, sim.url);
    collectGarbage();
    const loaded = process.memoryUsage();

    const cold = await timed(() => repin.runCycle());
    const coldCounters = await sim.call("counters");
    await sim.call("resetLog");
    const steady = await timed(() => repin.runCycle());
    const counters = await sim.call("counters");
    const gc = collectGarbage();
    const after = process.memoryUsage();
    const kinds = (outcomes: readonly { kind: string }[]) =>
      [...new Set(outcomes.map((o) => o.kind))]
        .map((kind) => `${kind} ${outcomes.filter((o) => o.kind === kind).length}`)
        .join(", ");
    return {
      "memory.repositories": repos,
      "memory.installations": Math.ceil(repos / REPOS_PER_INSTALLATION),
      "memory.dockerfiles": dockerfiles,
      "memory.images": IMAGES,
      "memory.seed_ms": seedMs,
      "memory.cold_cycle_ms": cold.ms,
      "memory.cold_cycle_requests": coldCounters.requests,
      "memory.cold_cycle_writes": coldCounters.writes,
      "memory.cold_cycle_outcomes": kinds(cold.result.outcomes),
      "memory.cold_cycle_requests_by_operation": breakdown(coldCounters.byOperation),
      "memory.steady_cycle_ms": steady.ms,
      "memory.steady_cycle_outcomes": kinds(steady.result.outcomes),
      "memory.steady_requests_per_repo": round(counters.repoRequests / repos),
      "memory.steady_rate_limited_per_repo": atMost(round(counters.repoRateLimited / repos), 1),
      "memory.steady_requests_total": counters.requests,
      "memory.steady_rate_limited_total": counters.rateLimited,
      "memory.steady_writes": atMost(counters.writes, 0),
      "memory.unserved_requests": atMost(counters.unserved, 0),
      "memory.steady_requests_by_operation": breakdown(counters.byOperation),
      "memory.gc_before_measuring": gc ? "yes" : "no",
      "memory.rss_mb_baseline": mb(baseline.rss),
      "memory.rss_mb_repin_loaded": mb(loaded.rss),
      "memory.rss_mb_after_cycles": mb(after.rss),
      "memory.rss_mb_tracking": mb(after.rss - loaded.rss),
      // SPEC 9: a process tracking 10,000 repositories stays under 300 MB resident, so the peak counts.
      "memory.rss_mb_peak": atMost(mb(process.resourceUsage().maxRSS * 1024), 300),
      "memory.heap_used_mb_baseline": mb(baseline.heapUsed),
      "memory.heap_used_mb_after_cycles": mb(after.heapUsed),
      "memory.simulator_child_rss_mb": mb(counters.rss),
    };
  } finally {
    await sim.stop();
    await registry.stop();
  }
}

/** A full collection: `--expose-gc`'s global.gc, or the same function fetched through V8's flags. */
function collectGarbage(): boolean {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) {
    exposed();
    return true;
  }
  try {
    setFlagsFromString("--expose-gc");
    (runInNewContext("gc") as () => void)();
    return true;
  } catch {
    return false;
  }
}

const breakdown = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([operation, n]) => `${operation} ${n}`)
    .join(", ");
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
