import { isWithinSchedule, parseRepinConfig, DEFAULT_CONFIG_FILE } from "../config/index.js";
import { lookUp, planOptionsFrom } from "../engine/index.js";
import { fileSkip, planUpdates, scanFiles } from "../plan/index.js";
import type { Registry } from "../registry/index.js";
import { describeError, fullName, type GitHubClient, type Log, type RepoTarget } from "./client.js";
import { desiredPrs, shortHash } from "./desired.js";
import { dueDispatches, sendDispatch } from "./dispatch.js";
import type { RepinMemory } from "./memory.js";
import { readRepository } from "./read.js";
import { reconcile, type ReconcileReport } from "./reconcile.js";

/**
 * One repository, start to end: read (cheaply), plan against the registry, send due rebuild
 * dispatches, and reconcile its PRs — unless the head and the plan are what was last reconciled,
 * in which case nothing more is asked of GitHub. Never throws: a failure is this repository's
 * outcome, logged, and the next cycle tries again (nothing is marked settled).
 */
export interface RepoDeps {
  readonly memory: RepinMemory;
  /** The cycle's memoized registry, shared by every repository of the cycle. */
  readonly registry: Registry;
  readonly log: Log;
  readonly now: () => Date;
}

export type RepoOutcome =
  | { readonly repo: string; readonly kind: "unchanged" | "empty" | "outside-schedule" }
  | { readonly repo: string; readonly kind: "reconciled"; readonly report: ReconcileReport; readonly dispatched: number }
  | { readonly repo: string; readonly kind: "config-error" | "failed"; readonly reason: string };

export async function processRepository(client: GitHubClient, target: RepoTarget, deps: RepoDeps): Promise<RepoOutcome> {
  const name = fullName(target);
  try {
    return await process(client, target, deps);
  } catch (error) {
    const reason = describeError(error);
    deps.log.error({ repo: name, reason }, "repository failed; the next cycle retries it");
    return { repo: name, kind: "failed", reason };
  }
}

async function process(client: GitHubClient, target: RepoTarget, deps: RepoDeps): Promise<RepoOutcome> {
  const name = fullName(target);
  const read = await readRepository(client, target, deps.memory);
  if (read.kind === "empty") return { repo: name, kind: "empty" };
  const repo = read.repo;

  const parsed = parseRepinConfig(repo.configText, DEFAULT_CONFIG_FILE);
  if (!parsed.ok) {
    const reason = `${parsed.error.file}:${parsed.error.line}: ${parsed.error.reason}`;
    deps.log.warn({ repo: name, reason }, "config does not validate; no PRs for this repository");
    return { repo: name, kind: "config-error", reason };
  }
  const config = parsed.config;
  const options = planOptionsFrom(config);
  const scanned = scanFiles(repo.files);
  const lookups = await lookUp(scanned, deps.registry, options);
  const plan = planUpdates(scanned, lookups, options);
  const updates = [...repo.unread.map((file) => fileSkip(file.path, file.reason)), ...plan.updates];

  let dispatched = 0;
  if (config.rebuild.dispatch) {
    const { due, now } = dueDispatches(updates, lookups, repo.seen);
    for (const dispatch of due) {
      await sendDispatch(client, target.owner, target.name, dispatch);
      dispatched++;
    }
    repo.seen = now;
  }

  const desired = desiredPrs(plan.updates, repo.files, config.group);
  const undecided = updates.filter((u) => u.action === "skip" && u.source !== null).map((u) => `${u.file}:${u.line}`);
  const fingerprint = shortHash(JSON.stringify([repo.headSha, repo.configText, desired.map((pr) => [pr.branch, pr.target, pr.content]), undecided]));
  if (read.kind === "unchanged" && repo.settled === fingerprint) return { repo: name, kind: "unchanged" };
  if (!isWithinSchedule(config.schedule, deps.now(), config.timezone)) return { repo: name, kind: "outside-schedule" };

  const report = await reconcile(
    client,
    { owner: target.owner, repo: target.name, base: repo.defaultBranch, headSha: repo.headSha!, treeSha: repo.treeSha!, modes: repo.modes },
    desired,
    updates,
    config,
    deps.log,
  );
  repo.settled = fingerprint;
  const wrote = report.created.length + report.updated.length + report.closed.length;
  if (wrote > 0 || dispatched > 0) deps.log.info({ repo: name, ...report, dispatched }, "reconciled");
  return { repo: name, kind: "reconciled", report, dispatched };
}
