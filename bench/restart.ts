/**
 * A restart on the same REPIN_DATA_DIR (SPEC 9, 12): N repositories (default 1,000;
 * REPIN_BENCH_REPOS changes it) sharing 10 images, all pinned and current. The App runs its cold
 * cycle and a steady one on a store in a temporary data directory, is stopped (its store closed),
 * and a new App (nothing in process memory) opens the same directory: its first cycle must cost
 * what the steady one did, at most one rate-limited GitHub request per unchanged repository.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStoreDir } from "../src/store/index.js";
import { startGitHubSimulator, type GitHubSimulator } from "../test/support/github/index.js";
import { pushImage } from "../test/support/registry/push.js";
import { startRegistry } from "../test/support/registry/registry.js";
import { atMost, type Figures } from "./budget.js";
import { APP_ID, appKeyPair, loadRepin, round, timed } from "./support.js";

const IMAGES = 10;

export async function benchRestart(): Promise<Figures> {
  const repos = Number(process.env.REPIN_BENCH_REPOS ?? 1000);
  const registry = await startRegistry();
  const sim = await startGitHubSimulator({ validate: false });
  const dataDir = mkdtempSync(join(tmpdir(), "repin-bench-restart-"));
  try {
    const { privateKey } = appKeyPair();
    sim.createApp({ appId: APP_ID, privateKeyPem: privateKey });
    const { id: installationId } = sim.createInstallation({ appId: APP_ID, account: "bench" });
    const digests: string[] = [];
    for (let i = 0; i < IMAGES; i++) digests.push((await pushImage(registry, `img${i}`, "latest")).digest);
    for (let r = 0; r < repos; r++) {
      const i = r % IMAGES;
      await sim.createRepo("bench", `repo${r}`, {
        installationId,
        files: { Dockerfile: `FROM ${registry.host}/img${i}:latest@${digests[i]}\nRUN true\n` },
      });
    }

    const before = await loadRepin(privateKey, sim.url, { store: () => openStoreDir(dataDir) });
    const cold = await timed(() => before.runCycle());
    sim.resetLog();
    const steady = await timed(() => before.runCycle());
    const steadyCost = cost(sim, repos);
    before.stop();
    await before.store.close();

    sim.resetLog();
    const reopen = await timed(() => loadRepin(privateKey, sim.url, { store: () => openStoreDir(dataDir) }));
    const after = reopen.result;
    const first = await timed(() => after.runCycle());
    const firstCost = cost(sim, repos);
    const failed = first.result.outcomes.filter((outcome) => outcome.kind === "failed").length;
    await after.store.close();
    return {
      "restart.repositories": repos,
      "restart.cold_cycle_ms": cold.ms,
      "restart.steady_cycle_ms": steady.ms,
      "restart.steady_requests_per_repo": steadyCost.perRepo,
      "restart.steady_rate_limited_per_repo": steadyCost.rateLimitedPerRepo,
      "restart.reopen_ms (open and migrate the store, load)": reopen.ms,
      "restart.first_cycle_ms": first.ms,
      "restart.first_cycle_requests_per_repo": firstCost.perRepo,
      "restart.first_cycle_rate_limited_per_repo": atMost(firstCost.rateLimitedPerRepo, 1),
      "restart.first_cycle_requests_total": firstCost.total,
      "restart.first_cycle_writes": atMost(sim.writes(), 0),
      "restart.failed_repositories": atMost(failed, 0),
    };
  } finally {
    await sim.stop();
    await registry.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function cost(sim: GitHubSimulator, repos: number) {
  const perRepo = sim.requests.filter((request) => request.path.startsWith("/repos/"));
  return {
    total: sim.requests.length,
    perRepo: round(perRepo.length / repos),
    rateLimitedPerRepo: round(perRepo.filter((request) => request.rateLimited).length / repos),
  };
}
