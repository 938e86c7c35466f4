/**
 * The GitHub side of repin, free of Probot: read repositories cheaply (conditional head, one tree,
 * blobs by SHA), turn a plan into the PRs that should exist, reconcile them with the PRs that do
 * (Git Data API commits GitHub signs), send rebuild dispatches, keep the dashboard issue and the
 * `repin/config` check, act on `/repin` commands and dashboard edits, explain bumps (package
 * diffs, advisories; security fixes skip the schedule), and run the scheduled cycle over every
 * installation. Collaborators (client, registry, logger, clock, memory) are parameters.
 */
export { describeError, fullName, statusOf, type GitHubClient, type Log, type RepoTarget } from "./client.js";
export {
  createMemory,
  forgetDashboard,
  markDirty,
  type DashboardMemory,
  type RepinMemory,
  type RepoMemory,
} from "./memory.js";
export { readRepository, trackedPaths, TreeTruncatedError, type ReadResult } from "./read.js";
export {
  BRANCH_PREFIX,
  branchName,
  desiredPrs,
  imageKey,
  sanitizeRef,
  type DesiredPr,
  type Grouping,
} from "./desired.js";
export { formatMarker, parseMarker, renderBody, withMarker, type Marker } from "./body.js";
export { createExplainer, describePr, type Bump, type Explainer, type ExplainerSettings } from "./explainer.js";
export {
  fixedCount,
  renderPrExplanation,
  type BumpExplanation,
  type PrExplanation,
  type SkippedHold,
} from "./explanation.js";
export { explainReply } from "./explain-reply.js";
export {
  reconcile,
  SECURITY_LABEL,
  type ForceMode,
  type PrSettings,
  type ReconcileOptions,
  type ReconcileReport,
  type ReconcileTarget,
} from "./reconcile.js";
export { DISPATCH_EVENT, dueDispatches, sendDispatch, type Dispatch } from "./dispatch.js";
export { planRepository, processRepository, type RepoDeps, type RepoOutcome, type RepoRequest } from "./repository.js";
export { holdBack, referenceStates, type HeldBack } from "./states.js";
export { loadDashboard, writeDashboard } from "./dashboard.js";
export { CONFIG_CHECK, syncConfigCheck } from "./check.js";
export {
  isWriter,
  onDashboardEdit,
  runCommands,
  type CommandDeps,
  type CommandEvent,
  type CommandResult,
  type DashboardEdit,
  type ExplainCommand,
  type RepinPr,
} from "./commands.js";
export { createLocks, type Locks } from "./locks.js";
export { listRepositories, runCycle, type AppClients, type CycleDeps, type CycleReport } from "./cycle.js";
