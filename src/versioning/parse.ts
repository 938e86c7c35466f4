import type { VersionTag } from "./types.js";

/**
 * How a tag reads as a version (SPEC 3a), with the decisions written down:
 *
 * - `v`? + 1-4 dot-separated numbers + an optional pre-release marker glued to
 *   the numbers + an optional `-suffix`: `3.12.7-slim-bookworm`, `v1.2.3`,
 *   `1.2.3.4`, `3.14.0rc2-slim-trixie`, `1.23rc2-alpine3.20`.
 * - Glued markers are Python's and Go's (`a7`, `b4`, `rc2`, `alpha1`, `beta.2`);
 *   PHP's `8.4.0RC3`; they make `prerelease` true and are not part of `suffix` (the text after
 *   the first `-`). A suffix whose first `-` part is `rc1`, `alpha`, `beta.1`,
 *   `pre`, `preview`, `snapshot`, `canary`, `nightly` or `ea` is a pre-release too.
 * - A bare `-dev` is NOT a pre-release: it is Chainguard's variant with a
 *   shell (`3.12.7-dev`), a release like any other suffix. `-dev10` (HAProxy's
 *   development builds, `3.1-dev10`) is one.
 * - Glued markers take at most three digits, so a short hex sha such as
 *   `12a3456` is not read as `12` + `a3456`.
 * - Not versions (re-pinned only): anything starting with letters (`latest`,
 *   `alpine3.19`, `ltsc2022`), `3.12.7_1` and `17.0.9_9-jdk` (an underscore
 *   build revision has no order semver can give), `8u392-b08-jdk`, sha-like
 *   text, an empty or invalid suffix, numbers past Number.MAX_SAFE_INTEGER.
 * - Date-like tags (`20240101`, `2024.01.01`) parse; leading zeros are read as
 *   numbers. They never mix with ordinary versions: see `isDateLike`.
 */
const TAG =
  /^(v?)(\d+(?:\.\d+){0,3})((?:alpha|beta|rc|RC|pre|preview|a|b)\.?\d{0,3})?(?:-([A-Za-z0-9_][A-Za-z0-9_.-]*))?$/;
const GLUED_NEEDS_DIGITS = /^[ab]\.?$/;
const PRERELEASE_WORD = /^(?:alpha|beta|rc|pre|preview|snapshot|canary|nightly|ea|a\d|b\d|dev\d)[.\d]*$/i;
const MAX_TAG_LENGTH = 128;

/** A parsed tag with what ordering and candidate rules need beyond the public type. */
export interface ParsedTag extends VersionTag {
  /** The pre-release identifier (`rc2`, `beta.1`), glued or first suffix part, or null. */
  readonly pre: string | null;
  /** The suffix without a leading pre-release part: what candidates must share. */
  readonly variant: string;
  /** The first number as written, for the date-like rule. */
  readonly firstText: string;
}

export function parseTagDetails(tag: string): ParsedTag | null {
  if (tag.length > MAX_TAG_LENGTH) return null;
  const m = TAG.exec(tag);
  if (!m) return null;
  const [, prefix = "", numbersText = "", glued, suffix] = m;
  if (glued !== undefined && GLUED_NEEDS_DIGITS.test(glued)) return null;
  if (suffix !== undefined && (suffix.endsWith("-") || suffix.endsWith("."))) return null;
  const parts = numbersText.split(".");
  const numbers = parts.map(Number);
  if (!numbers.every(Number.isSafeInteger)) return null;

  let pre: string | null = glued ?? null;
  let variant = suffix ?? "";
  if (pre === null && suffix !== undefined) {
    const [first = "", ...rest] = suffix.split("-");
    if (PRERELEASE_WORD.test(first)) {
      pre = first;
      variant = rest.join("-");
    }
  }
  return {
    raw: tag,
    prefix: prefix === "v" ? "v" : "",
    numbers,
    suffix: suffix ?? null,
    prerelease: pre !== null,
    pre,
    variant,
    firstText: parts[0] ?? "",
  };
}

/** The tag as a version, or null when it is not one (it is then only re-pinned). */
export function parseVersionTag(tag: string): VersionTag | null {
  const p = parseTagDetails(tag);
  if (!p) return null;
  return { raw: p.raw, prefix: p.prefix, numbers: p.numbers, suffix: p.suffix, prerelease: p.prerelease };
}

/**
 * A first number that reads as a year or a date (`2024`, `202401`, `20240101`,
 * `20240101120000`). Date schemes and version schemes never replace each other,
 * so `3` never "major-updates" to `20240101`.
 */
export function isDateLike(tag: ParsedTag): boolean {
  return /^(?:19|20)\d{2}(?:\d{2})*$/.test(tag.firstText);
}
