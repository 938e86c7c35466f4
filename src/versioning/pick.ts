import { compareParsedTags } from "./compare.js";
import { isDateLike, parseTagDetails, type ParsedTag } from "./parse.js";
import type { UpdateTagsPolicy } from "./types.js";

/** How many leading numbers a policy keeps fixed. */
const LOCKED_PARTS: Record<Exclude<UpdateTagsPolicy, "none">, number> = { patch: 2, minor: 1, major: 0 };

/**
 * Whether `candidate` may replace `current` at all (SPEC 3a), order aside:
 * same prefix, same number of parts, same suffix (for a pre-release: the same
 * suffix once its pre-release part is removed), same date-or-version scheme.
 * A pre-release candidate is allowed only when the current tag is a
 * pre-release of the same numbers (Renovate's ignoreUnstable): `3.14.0rc1` may
 * move to `3.14.0rc2` or `3.14.0`, `3.13.1` never moves to `3.14.0rc1`.
 */
function isCompatible(current: ParsedTag, candidate: ParsedTag): boolean {
  if (candidate.prefix !== current.prefix) return false;
  if (candidate.numbers.length !== current.numbers.length) return false;
  if (candidate.variant !== current.variant) return false;
  if (isDateLike(candidate) !== isDateLike(current)) return false;
  if (!candidate.prerelease) return true;
  return current.prerelease && candidate.numbers.every((n, i) => n === current.numbers[i]);
}

/**
 * Whether `current` could move at all under `policy`, whatever tags exist: a version tag with a
 * number the policy leaves free, or a pre-release (which may move to its release). When it cannot,
 * its repository's tag list is not worth reading (SPEC 3: frugal by design).
 */
export function canTagMove(current: string, policy: UpdateTagsPolicy): boolean {
  if (policy === "none") return false;
  const cur = parseTagDetails(current);
  if (!cur) return false;
  return cur.numbers.length > LOCKED_PARTS[policy] || cur.prerelease;
}

/**
 * The newest candidate tag that `policy` allows and that is strictly newer
 * than `current`, or null. `patch` keeps the first two numbers, `minor` the
 * first, `major` none, and a tag moves only in parts the policy leaves free:
 * `3` moves only under `major`, `3.12` moves under `minor` (to `3.13`) and
 * `major`, never under `patch`. A pre-release may always move to a newer
 * pre-release or the release of the same numbers. Not a version → null.
 */
export function pickNewerTag(current: string, candidates: readonly string[], policy: UpdateTagsPolicy): string | null {
  if (policy === "none") return null;
  const cur = parseTagDetails(current);
  if (!cur) return null;
  const locked = LOCKED_PARTS[policy];
  const moves = cur.numbers.length > locked;

  let best: ParsedTag | null = null;
  for (const text of candidates) {
    const cand = parseTagDetails(text);
    if (!cand || !isCompatible(cur, cand)) continue;
    // Same numbers = a pre-release moving on (`17rc1` → `17`): every policy allows it.
    const sameNumbers = cand.numbers.every((n, i) => n === cur.numbers[i]);
    if (!sameNumbers && (!moves || !cur.numbers.slice(0, locked).every((n, i) => n === cand.numbers[i]))) continue;
    if (compareParsedTags(cand, cur) <= 0) continue;
    // Ties (`2024.01.01` beside `2024.1.1`) go to the smaller text, whatever the list order.
    const order = best === null ? 1 : compareParsedTags(cand, best);
    if (order > 0 || (order === 0 && best !== null && cand.raw < best.raw)) best = cand;
  }
  return best?.raw ?? null;
}
