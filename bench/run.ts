import { formatFigure, missedBudgets, parseBenchArgs, selects, type Figures } from "./budget.js";
import { benchParseAndPlan } from "./core.js";
import { benchCliRuns, benchDeadHost } from "./cli.js";
import { benchGitHub } from "./github.js";
import { benchInventory } from "./inventory.js";
import { benchMemory } from "./memory.js";
import { benchMixed } from "./mixed.js";
import { benchManifestRequests, benchTagLists } from "./registry.js";
import { benchPushToPrs, benchWatch } from "./upstream.js";
import { benchRestart } from "./restart.js";

/**
 * `npm run bench [-- [--check] [word ...]]`: prints the figures SPEC 9 budgets are judged by, each
 * budget beside its figure. Words pick the sections whose title contains one; `--check` exits 1
 * when a budget is missed or a section fails (without it, only a failed section does).
 */

type Section = [title: string, run: () => Figures | Promise<Figures>];

const sections: Section[] = [
  ["Parse and plan 10,000 Dockerfiles", () => benchParseAndPlan(10_000)],
  [
    "Parse and plan 10,000 mixed files (Dockerfiles, compose, manifests, workflows, Helm values)",
    () => benchMixed(10_000),
  ],
  ["Registry: manifest requests per unique reference", benchManifestRequests],
  ["Registry: tag lists for many files sharing few repositories", benchTagLists],
  ["Registry: CLI once per repository with the disk cache, and once over all", benchCliRuns],
  ["Registry: CLI on a dead host", benchDeadHost],
  ["Image inventory: bytes read and time, cold and cached", benchInventory],
  ["GitHub: scheduled cycles over many repositories sharing few images", benchGitHub],
  ["Push to PRs: a registry push event → PRs in 100 repositories, write pacing off", () => benchPushToPrs(false)],
  [
    "Push to PRs: a registry push event → PRs in 100 repositories, write pacing on as in production (minutes)",
    () => benchPushToPrs(true),
  ],
  ["Watch: push → PR by the watch loop (REPIN_WATCH_INTERVAL=5, events off)", benchWatch],
  ["Restart: the first cycle after a restart on the same data directory", benchRestart],
  ["Memory: 10,000 repositories tracked (simulator in a child process; ~8 min)", benchMemory],
];

const parsed = parseBenchArgs(process.argv.slice(2));
if (!parsed.ok) {
  console.error(parsed.error);
  process.exit(2);
}
const args = parsed.args;
const chosen = sections.filter(([title]) => selects(args, title));
if (chosen.length === 0) {
  console.error(`no section title contains ${args.words.join(" or ")}`);
  process.exit(2);
}

let failed = false;
const misses: string[] = [];
for (const [title, run] of chosen) {
  console.log(`\n## ${title}`);
  try {
    const figures = await run();
    for (const [name, figure] of Object.entries(figures)) console.log(formatFigure(name, figure));
    const missedHere = missedBudgets(figures);
    for (const miss of missedHere) console.log(`BUDGET MISSED: ${miss}`);
    misses.push(...missedHere.map((miss) => `${title}: ${miss}`));
  } catch (error) {
    failed = true;
    console.log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
console.log(`\n${"rss MB at end".padEnd(52)} ${Math.round(process.memoryUsage().rss / 1024 / 1024)}`);
if (failed) console.log("\nA section failed (see above): its budgets were not judged.");
console.log(
  misses.length === 0 ? "\nEvery budget judged held." : `\n${misses.length} budget(s) missed:\n${misses.join("\n")}`,
);
process.exitCode = failed || (args.check && misses.length > 0) ? 1 : 0;
