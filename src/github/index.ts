/**
 * The GitHub side of repin, free of Probot; what to do is src/proposals', this folder reads and
 * writes. In data-flow order: `cycle` lists installations and repositories; `repository` takes one
 * from start to end: `read` (conditional head, one tree, blobs by SHA), the `repin/config` `check`,
 * the plan, rebuild `dispatches`, advisory `verdicts` through the `explainer`, then `reconcile`
 * (read PRs, ask src/proposals for actions, carry them out in `writes`) and the `dashboard` issue.
 * `commands` acts on `/repin` commands and dashboard edits. Only the port files `git`, `pulls` and
 * `issues` name GitHub's Git data, PR and issue routes. Collaborators (client, registry, logger,
 * clock, store) are parameters.
 */
export { describeError, fullName, statusOf, type GitHubClient, type Log, type RepoTarget } from "./client.js";
export {
  forgetDashboard,
  knownConfig,
  knownFiles,
  markDirty,
  type DashboardMemory,
  type RepoMemory,
} from "./memory.js";
export { readRepository, trackedPaths, TreeTruncatedError, type ReadOptions, type ReadResult } from "./read.js";
export { createExplainer, describePr, type Bump, type Explainer, type ExplainerSettings } from "./explainer.js";
export { explainReply } from "./explain-reply.js";
export {
  reconcile,
  type PrSettings,
  type ReconcileJob,
  type ReconcileReport,
  type ReconcileTarget,
} from "./reconcile.js";
export { sendDispatch } from "./dispatches.js";
export { planRepository, processRepository, type RepoDeps, type RepoOutcome, type RepoRequest } from "./repository.js";
export { ACTIONS_BOT, loadDashboard, writeDashboard } from "./dashboard.js";
export { CONFIG_CHECK, syncConfigCheck } from "./check.js";
export {
  isWriter,
  REFUSAL_INTERVAL_MS,
  onDashboardEdit,
  runCommands,
  type CommandDeps,
  type CommandEvent,
  type CommandResult,
  type DashboardEdit,
  type ExplainCommand,
  type RepinPr,
} from "./commands.js";
export type { Locks } from "./locks.js";
export {
  listRepositories,
  queueCycle,
  runCycle,
  type AppClients,
  type CycleDeps,
  type CycleReport,
  type QueuedCycleReport,
} from "./cycle.js";
