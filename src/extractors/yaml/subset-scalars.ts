/**
 * The scalars and one-line flow collections of the block subset (./subset.ts): plain and quoted
 * scalars on one line, `[a, b]` and `{k: v}` that close on the line they open. Values are resolved
 * as the `yaml` package's core schema does. Anything else throws OUTSIDE_SUBSET, and the caller
 * reads the file with the full parser instead.
 */
import { Pair, Scalar, YAMLMap, YAMLSeq, type Node } from "yaml";
import { resolvePlain } from "./plain.js";

/** Thrown (never an Error: no stack to build) when the text leaves the subset. */
export const OUTSIDE_SUBSET = Symbol("outside the YAML subset");

export function outside(): never {
  throw OUTSIDE_SUBSET;
}

const SPACE = 32;
const LF = 10;
const CR = 13;
const HASH = 35;
const COLON = 58;
const COMMA = 44;

/** End of line: `\n`, `\r` (always before `\n` here) or the end of the text. */
export function isLineEnd(text: string, i: number): boolean {
  if (i >= text.length) return true;
  const c = text.charCodeAt(i);
  return c === LF || c === CR;
}

/** Space, line end or end of text: what must follow a `:` or `-` indicator. */
export function isBlank(text: string, i: number): boolean {
  return i >= text.length || text.charCodeAt(i) === SPACE || isLineEnd(text, i);
}

export function skipSpaces(text: string, i: number): number {
  while (i < text.length && text.charCodeAt(i) === SPACE) i++;
  return i;
}

/** What may follow a node on its line: spaces, then the line end or a comment after a space. */
export function expectLineEnd(text: string, i: number): void {
  const j = skipSpaces(text, i);
  if (isLineEnd(text, j)) return;
  if (text.charCodeAt(j) === HASH && j > i) return;
  outside();
}

/** `[]{},` */
const isFlowIndicator = (c: number): boolean => c === 91 || c === 93 || c === 123 || c === 125 || c === COMMA;

/**
 * Whether a plain scalar may start at `i`: not an indicator, except `-` before a character that is not
 * blank (`-1`, `-foo`). `?x` and `:x` are plain in YAML 1.2 too, but left to the full parser.
 */
function startsPlain(text: string, i: number, flow: boolean): boolean {
  const c = text.charCodeAt(i);
  if (c === 45 /* - */) {
    if (isBlank(text, i + 1)) return false;
    return !(flow && isFlowIndicator(text.charCodeAt(i + 1)));
  }
  // - ? : , [ ] { } # & * ! | > ' " % @ `
  return !"?:,[]{}#&*!|>'\"%@`".includes(text[i]!) && !isBlank(text, i);
}

export function scalar(value: unknown, type: Scalar.Type, from: number, to: number): Scalar {
  const node = new Scalar(value);
  node.type = type;
  node.range = [from, to, to];
  return node;
}

/** A `"…"` or `'…'` scalar that closes on its line; double quotes without escapes only. */
export function quoted(text: string, at: number): Scalar {
  const quote = text.charCodeAt(at);
  let i = at + 1;
  let value = "";
  let from = i;
  for (;;) {
    if (isLineEnd(text, i)) outside();
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */ && quote === 34) outside();
    if (c === quote) {
      if (quote === 39 && text.charCodeAt(i + 1) === 39) {
        value += text.slice(from, i + 1);
        i += 2;
        from = i;
        continue;
      }
      value += text.slice(from, i);
      return scalar(value, quote === 34 ? "QUOTE_DOUBLE" : "QUOTE_SINGLE", at, i + 1);
    }
    i++;
  }
}

/**
 * A plain scalar in block context, from `at` to the end of the line or a ` #` comment. A `: ` inside
 * (a key where none may be) or a value that goes on over the next lines is left to the full parser.
 */
export function blockPlain(text: string, at: number): Scalar {
  if (!startsPlain(text, at, false)) outside();
  let i = at;
  let end = at;
  while (!isLineEnd(text, i)) {
    const c = text.charCodeAt(i);
    if (c === SPACE) {
      if (text.charCodeAt(i + 1) === HASH) break;
    } else {
      if (c === COLON && isBlank(text, i + 1)) outside();
      end = i + 1;
    }
    i++;
  }
  const source = text.slice(at, end);
  return scalar(resolvePlain(source), "PLAIN", at, end);
}

/** A key of a block mapping at `at`: the key and where its `:` is; null when the line is not `key: …`. */
export function blockKey(text: string, at: number): { key: Scalar; colon: number } | null {
  let key: Scalar;
  let i: number;
  const c = text.charCodeAt(at);
  if (c === 34 || c === 39) {
    key = quoted(text, at);
    i = skipSpaces(text, key.range![1]);
  } else {
    if (!startsPlain(text, at, false)) return null;
    i = at;
    let end = at;
    for (;;) {
      if (isLineEnd(text, i)) return null;
      const d = text.charCodeAt(i);
      if (d === COLON && isBlank(text, i + 1)) break;
      if (d === SPACE) {
        if (text.charCodeAt(i + 1) === HASH) return null;
      } else end = i + 1;
      i++;
    }
    const source = text.slice(at, end);
    key = scalar(resolvePlain(source), "PLAIN", at, end);
  }
  if (text.charCodeAt(i) !== COLON || !isBlank(text, i + 1)) return null;
  // The `yaml` parser refuses implicit keys over 1024 characters.
  if (i - at > 1000) outside();
  return { key, colon: i };
}

/** A `[…]` or `{…}` that closes on its line, with its end. Nesting is bounded by YAML_LIMITS.maxFlowDepth. */
export function flowCollection(text: string, at: number): { node: YAMLMap | YAMLSeq; end: number } {
  const isMap = text.charCodeAt(at) === 123;
  const close = isMap ? 125 : 93;
  const node = isMap ? new YAMLMap() : new YAMLSeq();
  node.flow = true;
  let i = skipSpaces(text, at + 1);
  if (text.charCodeAt(i) !== close) {
    for (;;) {
      if (isMap) {
        const key = flowValue(text, i, true);
        if (!(key instanceof Scalar)) outside();
        i = skipSpaces(text, key.range![1]);
        if (text.charCodeAt(i) !== COLON || text.charCodeAt(i + 1) !== SPACE) outside();
        const value = flowValue(text, skipSpaces(text, i + 1), false);
        (node as YAMLMap).items.push(new Pair(key, value));
        i = value.range![1];
      } else {
        const item = flowValue(text, i, false);
        (node as YAMLSeq).items.push(item);
        i = item.range![1];
      }
      i = skipSpaces(text, i);
      const c = text.charCodeAt(i);
      if (c === close) break;
      if (c !== COMMA) outside();
      i = skipSpaces(text, i + 1);
      // A trailing comma, `[a, ]`, is left to the full parser.
      if (text.charCodeAt(i) === close) outside();
    }
  }
  node.range = [at, i + 1, i + 1];
  return { node, end: i + 1 };
}

/** A value inside a flow collection: a nested one, a quoted scalar, or a plain scalar up to `,` `]` `}` or `: `. */
function flowValue(text: string, at: number, isKey: boolean): Node {
  if (isLineEnd(text, at)) outside();
  const c = text.charCodeAt(at);
  if (c === 91 || c === 123) {
    if (isKey) outside();
    return flowCollection(text, at).node;
  }
  if (c === 34 || c === 39) return quoted(text, at);
  if (!startsPlain(text, at, true)) outside();
  let i = at;
  let end = at;
  for (;;) {
    if (isLineEnd(text, i)) outside();
    const d = text.charCodeAt(i);
    if (isFlowIndicator(d)) break;
    if (d === COLON && (isBlank(text, i + 1) || isFlowIndicator(text.charCodeAt(i + 1)))) {
      if (!isKey) outside();
      break;
    }
    if (d === SPACE) {
      if (text.charCodeAt(i + 1) === HASH) outside();
    } else end = i + 1;
    i++;
  }
  return scalar(resolvePlain(text.slice(at, end)), "PLAIN", at, end);
}
