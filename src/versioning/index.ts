/**
 * Versioning: reading Docker tags as versions and choosing the newer patch,
 * minor or major tag a reference may move to (SPEC 3a). Pure functions over
 * strings; the decisions (what is a version, pre-releases, date-like tags)
 * are written in ./parse.ts and ./pick.ts.
 */
export type { UpdateTagsPolicy, VersionTag } from "./types.js";
export { parseVersionTag } from "./parse.js";
export { compareVersionTags } from "./compare.js";
export { canTagMove, pickNewerTag } from "./pick.js";
