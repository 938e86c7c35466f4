/**
 * Advisory feeds (secdb JSON, OSV) read into one Advisory shape, and matched against the
 * packages of the old and new image of a bump with each distribution's version order.
 */
export type { Advisory, AffectedRange, Ecosystem, ParsedFeed, Severity } from "./types.js";
export { parseSecdb } from "./secdb.js";
export { parseOsv } from "./osv.js";
export {
  advisoriesForBump,
  installedVersionsOf,
  isAffected,
  versionOrderFor,
  type BumpAdvisories,
  type BumpAdvisory,
} from "./match.js";
export type { FeedFetcher, FeedResult } from "./fetcher.js";
