/**
 * Debian version ordering, after dpkg's lib/dpkg/version.c (`dpkg_version_compare`,
 * `verrevcmp`) and parsehelp.c (`parseversion`): [epoch:]upstream[-revision].
 */

type Sign = -1 | 0 | 1;

export interface DpkgVersion {
  readonly epoch: number;
  readonly version: string;
  readonly revision: string;
}

/** Splits like dpkg's parseversion: epoch before the first ":", revision after the last "-". */
export function parseDpkgVersion(text: string): DpkgVersion {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(":");
  const epoch = colon >= 0 ? Number.parseInt(trimmed.slice(0, colon), 10) || 0 : 0;
  const rest = colon >= 0 ? trimmed.slice(colon + 1) : trimmed;
  const dash = rest.lastIndexOf("-");
  return dash >= 0
    ? { epoch, version: rest.slice(0, dash), revision: rest.slice(dash + 1) }
    : { epoch, version: rest, revision: "" };
}

/**
 * Whether dpkg would accept the version (parseversion's checks): a numeric epoch,
 * a non-empty upstream starting with a digit, and only [A-Za-z0-9.+~-] / [A-Za-z0-9.+~] characters.
 */
export function isValidDpkgVersion(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed === "" || /\s/.test(trimmed)) return false;
  const colon = trimmed.indexOf(":");
  if (colon >= 0 && !/^[0-9]+$/.test(trimmed.slice(0, colon))) return false;
  const { version, revision } = parseDpkgVersion(trimmed);
  if (!/^[0-9][A-Za-z0-9.+~:-]*$/.test(version)) return false;
  const hadDash = trimmed.slice(colon + 1).includes("-");
  return !hadDash || /^[A-Za-z0-9.+~]+$/.test(revision);
}

const isDigit = (c: string): boolean => c >= "0" && c <= "9";
const isAlpha = (c: string): boolean => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");

// "~" sorts before everything, even the end of the string; letters before other symbols.
function order(c: string): number {
  if (c === "" || isDigit(c)) return 0;
  if (isAlpha(c)) return c.charCodeAt(0);
  if (c === "~") return -1;
  return c.charCodeAt(0) + 256;
}

function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  const at = (s: string, k: number): string => s[k] ?? "";
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(at(a, i))) || (j < b.length && !isDigit(at(b, j)))) {
      const ac = order(at(a, i));
      const bc = order(at(b, j));
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (at(a, i) === "0") i++;
    while (at(b, j) === "0") j++;
    while (isDigit(at(a, i)) && isDigit(at(b, j))) {
      if (firstDiff === 0) firstDiff = at(a, i).charCodeAt(0) - at(b, j).charCodeAt(0);
      i++;
      j++;
    }
    if (isDigit(at(a, i))) return 1;
    if (isDigit(at(b, j))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

const sign = (n: number): Sign => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** dpkg_version_compare over already split versions. */
export function compareDpkgVersionParts(a: DpkgVersion, b: DpkgVersion): Sign {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  const r = verrevcmp(a.version, b.version);
  if (r !== 0) return sign(r);
  return sign(verrevcmp(a.revision, b.revision));
}

/** `dpkg --compare-versions` order: -1, 0 or 1. Never throws, even on invalid input. */
export function compareDpkgVersions(a: string, b: string): Sign {
  return compareDpkgVersionParts(parseDpkgVersion(a), parseDpkgVersion(b));
}
