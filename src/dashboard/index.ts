/**
 * The dashboard issue (`repin dashboard`, one per repository), pure: render the body from a
 * state (deterministic, so the App edits only on change), parse a body back (ignores from the
 * hidden data block, minus lines a person deleted; ticked boxes), and the ignore helpers.
 * Ignores live here, in the issue, where people see and undo them, not in repin's memory.
 */
export type {
  DashboardState,
  Ignore,
  IgnoreKind,
  IgnoreReason,
  OpenPr,
  ParsedDashboard,
  ReferenceState,
  TrackedReference,
} from "./types.js";
export { dashboardNeedsEdit, renderDashboard, shortDigest, stateText, MAX_BODY } from "./render.js";
export { parseDashboard } from "./parse.js";
export { addIgnore, ignoreId, isIgnored, removeIgnores, sortIgnores } from "./ignores.js";
export type { IgnoreMatch, IgnoreQuery } from "./ignores.js";
export { validIgnore } from "./data-block.js";
export { DASHBOARD_MARKER, DASHBOARD_TITLE, dashboardSealOf, withDashboardSeal } from "./markers.js";
