/**
 * Explains a digest bump: reads the OS package database of the old and new image from the
 * registry's layers (cached by digest), diffs the packages, matches advisory feeds, and
 * renders the PR body section. Also tells which advisories on a pinned image have a fix.
 */
export {
  cachedInventory,
  inventoryFor,
  type ImageInventory,
  type InventoryFailure,
  type InventoryOptions,
  type InventoryResult,
} from "./inventory.js";
export { ecosystemOf, releaseOf } from "./ecosystem.js";
export {
  createAdvisoryStore,
  defaultAdvisoryFeeds,
  parseAdvisoryFeeds,
  type AdvisorySource,
  type AdvisoryStore,
  type FeedConfig,
} from "./advisory-store.js";
export {
  explainBump,
  explainInventories,
  pendingAdvisories,
  splitPending,
  type ExplainInput,
  type Explanation,
  type PendingAdvisory,
} from "./explain.js";
export { defaultMaxChars, isSecurityFix, renderExplanation } from "./render.js";
