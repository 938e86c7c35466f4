/**
 * Every PR decision, pure (no I/O, no Probot, no Octokit): from the plan to the PRs a repository
 * should have (grouping, holds for ignores and minimumAge, advisories that skip them), their
 * titles, bodies and markers, the rebuild dispatches due, and the diff of desired against open and
 * closed PRs as a list of actions that src/github carries out.
 */
export {
  BRANCH_PREFIX,
  branchName,
  desiredPrs,
  GROUP_ALL_KEY,
  hexPrefix,
  imageKey,
  imageName,
  sanitizeRef,
  shortHash,
  type DesiredPr,
  type Grouping,
} from "./desired.js";
export { holdBack, sightingKey, type HeldBack, type HoldInput } from "./holds.js";
export {
  decideProposals,
  skippedHolds,
  noVerdicts,
  type ProposalInput,
  type Proposals,
  type Verdicts,
  type Waiting,
} from "./decide.js";
export { referenceStates, type StateInputs } from "./states.js";
export { isWorkflowPath, withoutWorkflowEdits } from "./workflows.js";
export {
  BLANK_MARKER,
  closingComment,
  commitMessage,
  FOREIGN_NOTE,
  foreignComment,
  formatMarker,
  markerFor,
  MAX_PR_BODY,
  parseMarker,
  renderBody,
  SECURITY_LABEL,
  withMarker,
  type Marker,
} from "./body.js";
export {
  fixedCount,
  renderPrExplanation,
  type BumpExplanation,
  type PrExplanation,
  type SkippedHold,
} from "./explanation.js";
export { DISPATCH_EVENT, dueDispatches, type Dispatch } from "./dispatch.js";
export {
  commitSeal,
  dashboardSeal,
  gitBlobSha,
  isDashboardSeal,
  isTreeRepinWrites,
  markerKey,
  sealed,
  trustedCommit,
  type MarkerKey,
  type TreeBlob,
} from "./seal.js";
export { closedIgnore, declinedTarget, imageOfKey } from "./closed.js";
export { blockingReview, type Review } from "./ownership.js";
export {
  refusalText,
  type ClosedPr,
  type ForceMode,
  type HeadCommit,
  type LeaveReason,
  type OpenPr,
  type PrAction,
  type RefuseReason,
  type RetitleReason,
} from "./actions.js";
export {
  closedVerdict,
  factsNeeded,
  prActions,
  settled,
  type DiffInput,
  type DiffSettings,
  type NeededFacts,
} from "./diff.js";
