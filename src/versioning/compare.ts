import semver from "semver";
import { parseTagDetails, type ParsedTag } from "./parse.js";

/** `rc10` → `rc.10`, so semver orders `rc9` < `rc10` (it compares `rc10` as text). */
function semverPre(pre: string): string {
  return pre
    .replace(/([A-Za-z])(\d)/g, "$1.$2")
    .replace(/(\d)([A-Za-z])/g, "$1.$2")
    .replace(/\.+/g, ".")
    .replace(/^\.|\.$/g, "")
    .replace(/(^|\.)0+(\d)/g, "$1$2");
}

/**
 * Order two parsed tags: semver on the first three numbers (padded with 0),
 * then the fourth number, then the pre-release (a release is newer than any
 * of its pre-releases). Prefix and suffix are not compared: callers only
 * compare tags that share them.
 */
export function compareParsedTags(a: ParsedTag, b: ParsedTag): number {
  const core = (t: ParsedTag): string => [0, 1, 2].map((i) => t.numbers[i] ?? 0).join(".");
  const byCore = semver.compare(core(a), core(b));
  if (byCore !== 0) return byCore;
  const byFourth = (a.numbers[3] ?? 0) - (b.numbers[3] ?? 0);
  if (byFourth !== 0) return Math.sign(byFourth);
  if (a.pre === null || b.pre === null) return a.pre === b.pre ? 0 : a.pre === null ? 1 : -1;
  const [pa, pb] = [`0.0.0-${semverPre(a.pre)}`, `0.0.0-${semverPre(b.pre)}`];
  if (!semver.valid(pa) || !semver.valid(pb)) return a.pre < b.pre ? -1 : a.pre > b.pre ? 1 : 0;
  return semver.compare(pa, pb);
}

/** Order two tags as versions (-1, 0, 1), or null when either is not a version. */
export function compareVersionTags(a: string, b: string): number | null {
  const [pa, pb] = [parseTagDetails(a), parseTagDetails(b)];
  return pa && pb ? compareParsedTags(pa, pb) : null;
}
