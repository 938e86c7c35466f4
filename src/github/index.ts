/**
 * The GitHub side of repin, free of Probot: read repositories cheaply (conditional head, one tree,
 * blobs by SHA), turn a plan into the PRs that should exist, reconcile them with the PRs that do
 * (Git Data API commits GitHub signs), send rebuild dispatches, and run the scheduled cycle over
 * every installation. Collaborators (client, registry, logger, clock, memory) are parameters.
 */
export { describeError, fullName, statusOf, type GitHubClient, type Log, type RepoTarget } from "./client.js";
export { createMemory, markDirty, type RepinMemory, type RepoMemory } from "./memory.js";
export { readRepository, trackedPaths, TreeTruncatedError, type ReadResult } from "./read.js";
export { BRANCH_PREFIX, branchName, desiredPrs, imageKey, sanitizeRef, type DesiredPr, type Grouping } from "./desired.js";
export { formatMarker, parseMarker, renderBody, type Marker } from "./body.js";
export { reconcile, type PrSettings, type ReconcileReport, type ReconcileTarget } from "./reconcile.js";
export { DISPATCH_EVENT, dueDispatches, sendDispatch, type Dispatch } from "./dispatch.js";
export { processRepository, type RepoDeps, type RepoOutcome } from "./repository.js";
export { createLocks, type Locks } from "./locks.js";
export { listRepositories, runCycle, type AppClients, type CycleDeps, type CycleReport } from "./cycle.js";
