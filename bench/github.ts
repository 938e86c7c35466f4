/**
 * GitHub cost of the scheduled cycle, against the GitHub simulator and the real docker-registry:
 * N repositories (default 1,000; REPIN_BENCH_REPOS changes it) in one installation, sharing 10
 * images, all pinned and current. Cycle 1 is cold (every tree and blob read); cycle 2 finds
 * nothing new. Requests are counted at the simulator; rate-limited ones separately (304s are free).
 */
import { startGitHubSimulator } from "../test/support/github/index.js";
import { pushImage } from "../test/support/registry/push.js";
import { startRegistry } from "../test/support/registry/registry.js";
import { atMost, type Figures } from "./budget.js";
import { APP_ID, appKeyPair, loadRepin, round, timed } from "./support.js";

const IMAGES = 10;

export async function benchGitHub(): Promise<Figures> {
  const repos = Number(process.env.REPIN_BENCH_REPOS ?? 1000);
  const registry = await startRegistry();
  const sim = await startGitHubSimulator({ validate: false });
  try {
    const { privateKey } = appKeyPair();
    sim.createApp({ appId: APP_ID, privateKeyPem: privateKey });
    const { id: installationId } = sim.createInstallation({ appId: APP_ID, account: "bench" });
    const digests: string[] = [];
    for (let i = 0; i < IMAGES; i++) digests.push((await pushImage(registry, `img${i}`, "latest")).digest);

    const seedStart = Date.now();
    for (let r = 0; r < repos; r++) {
      const i = r % IMAGES;
      await sim.createRepo("bench", `repo${r}`, {
        installationId,
        files: { Dockerfile: `FROM ${registry.host}/img${i}:latest@${digests[i]}\nRUN true\n` },
      });
    }
    const seedMs = Date.now() - seedStart;

    const repin = await loadRepin(privateKey, sim.url);

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
      "github.unchanged_rate_limited_per_repo": atMost(
        round(perRepo.filter((request) => request.rateLimited).length / repos),
        1,
      ),
      "github.unchanged_cycle_requests_total": sim.requests.length,
      "github.unchanged_cycle_rate_limited_total": sim.rateLimitedRequests(),
      "github.unchanged_cycle_writes": atMost(sim.writes(), 0),
      "github.failed_repositories": atMost(failed, 0),
      "github.unserved_requests": atMost(sim.unservedRequests().length, 0),
      "github.rss_mb": Math.round(process.memoryUsage().rss / 1024 / 1024),
    };
  } finally {
    await sim.stop();
    await registry.stop();
  }
}
