// Entry of the simulator's child process (see process.ts): argv[2] holds the
// SimulatorOptions as JSON; commands come one JSON line at a time on stdin.
import { createInterface } from "node:readline";
import type { Answer, Command, Counters } from "./process.js";
import { seedRepos } from "./seed.js";
import { startGitHubSimulator, type GitHubSimulator } from "./simulator.js";

const sim = await startGitHubSimulator(JSON.parse(process.argv[2] ?? "{}"));
const reply = (answer: Answer) => process.stdout.write(`${JSON.stringify(answer)}\n`);

function counters(s: GitHubSimulator): Counters {
  const repo = s.requests.filter((r) => r.path.startsWith("/repos/"));
  const byOperation: Record<string, number> = {};
  for (const r of s.requests) byOperation[r.operationId ?? r.path] = (byOperation[r.operationId ?? r.path] ?? 0) + 1;
  return {
    requests: s.requests.length,
    rateLimited: s.rateLimitedRequests(),
    repoRequests: repo.length,
    repoRateLimited: repo.filter((r) => r.rateLimited).length,
    writes: s.writes(),
    unserved: s.unservedRequests().length,
    byOperation,
    rss: process.memoryUsage().rss,
    cpuMs: cpuMs(),
  };
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return Math.round((user + system) / 1000);
}

function run(command: Command): unknown {
  switch (command.op) {
    case "createApp":
      return sim.createApp({ appId: command.args.appId, publicKey: command.args.publicKey });
    case "createInstallation":
      return sim.createInstallation(command.args);
    case "seed":
      return {
        count: seedRepos(sim, command.args.owner, command.args.repos, { installationId: command.args.installationId })
          .length,
      };
    case "counters":
      return counters(sim);
    case "resetLog":
      sim.resetLog();
      return {};
    case "pullCounts":
      return { counts: command.args.names.map((name) => sim.pulls(command.args.owner, name).length) };
  }
}

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const command = JSON.parse(line) as Command;
  try {
    reply({ id: command.id, ok: true, result: run(command) });
  } catch (error) {
    reply({ id: command.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
lines.on("close", () => void sim.stop().then(() => process.exit(0)));
process.stdout.write(`${JSON.stringify({ ready: { url: sim.url, apiUrl: sim.apiUrl } })}\n`);
