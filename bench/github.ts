/**
 * GitHub cost of the scheduled cycle, against the GitHub simulator and the real docker-registry:
 * N repositories (default 1,000; REPIN_BENCH_REPOS changes it) in one installation, sharing 10
 * images, all pinned and current. Cycle 1 is cold (every tree and blob read); cycle 2 finds
 * nothing new. Requests are counted at the simulator; rate-limited ones separately (304s are free).
 */
import { generateKeyPairSync } from "node:crypto";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { createFeedFetcher } from "../src/advisories/index.js";
import { createRepin } from "../src/app/index.js";
import { createAdvisoryStore } from "../src/explain/index.js";
import { anonymousKeychain, createRegistry, memoizeRegistry } from "../src/registry/index.js";
import { startGitHubSimulator } from "../test/support/github/index.js";
import { pushImage } from "../test/support/registry/push.js";
import { startRegistry } from "../test/support/registry/registry.js";

const IMAGES = 10;

export async function benchGitHub(): Promise<Record<string, string | number>> {
  const repos = Number(process.env.REPIN_BENCH_REPOS ?? 1000);
  const registry = await startRegistry();
  const sim = await startGitHubSimulator({ validate: false });
  try {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    sim.createApp({ appId: 1, privateKeyPem: privateKey });
    const { id: installationId } = sim.createInstallation({ appId: 1, account: "bench" });
    const digests: string[] = [];
    for (let i = 0; i < IMAGES; i++) digests.push((await pushImage(registry, `img${i}`, "latest")).digest);

    const seedStart = Date.now();
    for (let r = 0; r < repos; r++) {
      const i = r % IMAGES;
      await sim.createRepo("bench", `repo${r}`, { installationId, files: { Dockerfile: `FROM ${registry.host}/img${i}:latest@${digests[i]}\nRUN true\n` } });
    }
    const seedMs = Date.now() - seedStart;

    const log = pino({ level: "silent" });
    const Octokit = ProbotOctokit.defaults((instance: Record<string, unknown>) => ({ ...instance, throttle: { ...(instance.throttle as object), enabled: false } }));
    const probot = new Probot({ appId: 1, privateKey, baseUrl: sim.url, Octokit, log });
    const base = createRegistry({ keychain: anonymousKeychain });
    // No advisory feeds: the bench measures GitHub and memory, not feed traffic.
    const repin = createRepin({ schedule: null, registry: () => memoizeRegistry(base), advisories: createAdvisoryStore({ feeds: [], fetcher: createFeedFetcher() }) });
    await probot.load(repin.app);

    const cold = await timed(() => repin.runCycle());
    const coldRequests = sim.requests.length;
    sim.resetLog();
    const warm = await timed(() => repin.runCycle());
    const perRepo = sim.requests.filter((request) => request.path.startsWith("/repos/"));
    const failed = warm.result.outcomes.filter((outcome) => outcome.kind === "failed").length;
    return {
      "github.repositories": repos,
      "github.images": IMAGES,
      "github.seed_ms": seedMs,
      "github.cold_cycle_ms": cold.ms,
      "github.cold_cycle_requests": coldRequests,
      "github.unchanged_cycle_ms": warm.ms,
      "github.unchanged_requests_per_repo": round(perRepo.length / repos),
      "github.unchanged_rate_limited_per_repo": round(perRepo.filter((request) => request.rateLimited).length / repos),
      "github.unchanged_cycle_requests_total": sim.requests.length,
      "github.unchanged_cycle_rate_limited_total": sim.rateLimitedRequests(),
      "github.unchanged_cycle_writes": sim.writes(),
      "github.failed_repositories": failed,
      "github.rss_mb": Math.round(process.memoryUsage().rss / 1024 / 1024),
    };
  } finally {
    await sim.stop();
    await registry.stop();
  }
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: Math.round(performance.now() - start), result };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
