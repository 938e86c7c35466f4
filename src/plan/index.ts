/**
 * The plan: a pure step from Dockerfiles and what the registry said to the updates repin proposes
 * and the new file contents. It decides tag updates (SPEC 3a), the multi-arch rules (SPEC 3) and
 * which questions the registry must be asked, but never asks them itself.
 */
export { byPlace, planUpdates, scanFiles, fileSkip, type FilePlace } from "./plan.js";
export { childFor, isRunnablePlatform } from "./platform.js";
export { decide } from "./decide.js";
export { tagEdit } from "./target.js";
export { tagListRequests, tagRequests, manifestRequests, configRequests, referencesPerTag } from "./requests.js";
export type { TagListRequest, TagRequest, ManifestRequest } from "./requests.js";
export { manifestKey, repositoryKey, tagKey, DEFAULT_TAG } from "./keys.js";
export { parsePlatform, formatPlatform } from "../reference/index.js";
export type * from "./types.js";
export { describeReason, reason } from "./reasons.js";
export type { Reason, ReasonCode } from "./reasons.js";
