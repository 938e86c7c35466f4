/**
 * apk version ordering, after apk-tools' src/version.c (apk 3):
 * digit{.digit}...{letter}{_suffix{#}}...{~hash}{-r#}.
 * Token kinds are ordered; when two versions share a prefix, the one that goes on
 * is newer unless it goes on with a pre-release suffix (_alpha _beta _pre _rc).
 *
 * Outside that grammar apk-tools 3 stops at the first invalid token and calls two
 * versions that go invalid at the same place equal, so 5.7.1p1-r0 = 5.7.1p1-r1 and a
 * fix released as -r1 would look installed on -r0. Here the invalid tail is compared
 * instead: its leading non-digits as bytes, then the rest read as a version again.
 * Where apk-tools 3 gives an order (every valid pair, and every pair that differs
 * before going invalid), this gives the same one.
 */

type Sign = -1 | 0 | 1;

// Order matters: comparisons of token kinds below use these numbers.
const INITIAL_DIGIT = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NO = 4;
const COMMIT_HASH = 5;
const REVISION_NO = 6;
const END = 7;
const INVALID = 8;

// Pre-release suffixes sort below "no suffix" (NONE), post-release ones above.
const SUFFIXES = ["alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p"];
const SUFFIX_NONE = SUFFIXES.indexOf("");

interface TokenState {
  token: number;
  /** Raw characters of the token (digits, letter, suffix word or hash). */
  value: string;
  suffix: number;
}

class Cursor {
  constructor(
    readonly text: string,
    public pos = 0,
  ) {}
  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] ?? "";
  }
  /** Consumes the longest run of characters matching `re` (a one-character class). */
  span(re: RegExp): string {
    const start = this.pos;
    while (!this.done && re.test(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }
}

const isDigit = /[0-9]/;
const isLower = /[a-z]/;
const isHex = /[0-9a-f]/;

function parseDigits(t: TokenState, c: Cursor): void {
  t.value = c.span(isDigit);
  if (t.value === "") t.token = INVALID;
}

function first(c: Cursor): TokenState {
  const t: TokenState = { token: INITIAL_DIGIT, value: "", suffix: SUFFIX_NONE };
  parseDigits(t, c);
  return t;
}

const isNotDigit = /[^0-9]/;

/**
 * For comparing: an invalid token keeps the non-digits it starts with (from where the
 * token began) as its value, so two invalid tails compare by what they say.
 */
function keepInvalidTail(t: TokenState, c: Cursor, start: number): void {
  if (t.token !== INVALID) return;
  c.pos = start;
  t.value = c.span(isNotDigit);
}

function firstForCompare(c: Cursor): TokenState {
  const t = first(c);
  keepInvalidTail(t, c, 0);
  return t;
}

function nextForCompare(t: TokenState, c: Cursor): void {
  const start = c.pos;
  next(t, c);
  keepInvalidTail(t, c, start);
}

/** After an invalid token whose text matched on both sides: the rest is read as a new version. */
function restart(t: TokenState, c: Cursor): void {
  if (c.done) {
    t.token = END;
    return;
  }
  t.token = INITIAL_DIGIT;
  t.suffix = SUFFIX_NONE;
  parseDigits(t, c); // the invalid token's value ended at a digit, so this reads at least one
}

// Reads the next token and checks that it may follow the previous one.
function next(t: TokenState, c: Cursor): void {
  if (c.done) {
    t.token = END;
    return;
  }
  const ch = c.peek();
  if (isLower.test(ch)) {
    if (t.token > DIGIT) return invalid(t);
    t.value = ch;
    t.token = LETTER;
    c.pos++;
    return;
  }
  if (ch === "." || isDigit.test(ch)) {
    if (ch === ".") {
      if (t.token > DIGIT) return invalid(t);
      c.pos++;
    }
    if (t.token === INITIAL_DIGIT || t.token === DIGIT) t.token = DIGIT;
    else if (t.token === SUFFIX) t.token = SUFFIX_NO;
    else return invalid(t);
    return parseDigits(t, c);
  }
  if (ch === "_") {
    if (t.token > SUFFIX_NO) return invalid(t);
    c.pos++;
    t.value = c.span(isLower);
    const suffix = t.value === "" ? -1 : SUFFIXES.indexOf(t.value);
    if (suffix < 0) return invalid(t);
    t.suffix = suffix;
    t.token = SUFFIX;
    return;
  }
  if (ch === "~") {
    if (t.token >= COMMIT_HASH) return invalid(t);
    c.pos++;
    t.value = c.span(isHex);
    if (t.value === "") return invalid(t);
    t.token = COMMIT_HASH;
    return;
  }
  if (ch === "-") {
    if (t.token >= REVISION_NO || c.text[c.pos + 1] !== "r") return invalid(t);
    c.pos += 2;
    t.token = REVISION_NO;
    return parseDigits(t, c);
  }
  invalid(t);
}

function invalid(t: TokenState): void {
  t.token = INVALID;
}

/** Numeric order of two digit strings of any length (apk reads them as uint64). */
function compareNumbers(a: string, b: string): Sign {
  const x = a.replace(/^0+/, "");
  const y = b.replace(/^0+/, "");
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return compareBytes(x, y);
}

/** apk_blob_sort: bytewise, then the shorter first. */
function compareBytes(a: string, b: string): Sign {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function compareTokens(a: TokenState, b: TokenState): Sign {
  switch (a.token) {
    case DIGIT:
      // A leading zero makes apk compare the digits as text (Gentoo rule): 1.09 < 1.1.
      if (a.value.startsWith("0") || b.value.startsWith("0")) return compareBytes(a.value, b.value);
      return compareNumbers(a.value, b.value);
    case INITIAL_DIGIT:
    case SUFFIX_NO:
    case REVISION_NO:
      return compareNumbers(a.value, b.value);
    case LETTER:
      return compareBytes(a.value, b.value);
    case SUFFIX:
      return a.suffix === b.suffix ? 0 : a.suffix < b.suffix ? -1 : 1;
    default:
      return compareBytes(a.value, b.value);
  }
}

function compareFuzzy(a: string, b: string, fuzzy: boolean): Sign {
  const ca = new Cursor(a);
  const cb = new Cursor(b);
  const ta = firstForCompare(ca);
  const tb = firstForCompare(cb);
  while (ta.token === tb.token && ta.token !== END) {
    const r = compareTokens(ta, tb);
    if (r !== 0) return r;
    const step = ta.token === INVALID ? restart : nextForCompare;
    step(ta, ca);
    step(tb, cb);
  }
  if (ta.token === tb.token) return 0;
  if (tb.token === END && fuzzy) return 0;
  if (ta.token === SUFFIX && ta.suffix < SUFFIX_NONE) return -1;
  if (tb.token === SUFFIX && tb.suffix < SUFFIX_NONE) return 1;
  if (ta.token > tb.token) return -1;
  if (tb.token > ta.token) return 1;
  return 0;
}

/** apk_version_compare: -1, 0 or 1; a total order, also over invalid versions (see the top of this file). */
export function compareApkVersions(a: string, b: string): Sign {
  return compareFuzzy(a, b, false);
}

/** apk_version_validate. */
export function isValidApkVersion(version: string): boolean {
  const c = new Cursor(version);
  const t = first(c);
  while (t.token < END) next(t, c);
  return t.token === END;
}

/**
 * apk_version_match for dependency operators: "<", "<=", "=", ">=", ">", "~" (prefix match),
 * "<~", ">~", and any of them with a leading "!" (negation).
 */
export function matchApkVersion(a: string, op: string, b: string): boolean {
  const negate = op.startsWith("!");
  const ops = negate ? op.slice(1) : op;
  const fuzzy = ops.includes("~");
  const r = compareFuzzy(a, b, fuzzy);
  const ok = (r < 0 && ops.includes("<")) || (r > 0 && ops.includes(">")) || (r === 0 && /[=~]/.test(ops));
  return negate ? !ok : ok;
}
