/**
 * Variable expansion of one word as BuildKit's shell lexer does it for FROM and
 * flag values: quotes, the escape character, `$X`, `${X}`, `${X:-w}`, `${X-w}`,
 * `${X:+w}`, `${X+w}`, `${X:?w}`. Each output character remembers its offset
 * in the file and where it came from (the instruction itself or an ARG), so
 * callers can tell whether a tag or digest is one contiguous run of real text.
 *
 * The work is bounded (SPEC 10): a word expands to at most `maxLength`
 * characters, `${…}` nest at most `maxDepth` deep, and all the expansions of one
 * file together copy at most `maxCopied` characters of ARG values. Past a bound
 * the word is an `ExpansionLimit` instead of text. Each word is scanned once
 * (its braces are matched in one pass), so the work is linear in the file plus
 * the characters copied.
 */
import type { SourceText } from "./source-text.js";

/** `origin` of characters written in the instruction itself. */
export const IN_INSTRUCTION = -1;

export const EXPANSION_LIMITS = { maxLength: 4096, maxDepth: 32, maxCopied: 262_144 } as const;

export type ExpansionLimits = { readonly [K in keyof typeof EXPANSION_LIMITS]: number };

/** The expansion work of one file: what it may still copy, and how many steps it took (tests read `steps`). */
export class ExpansionBudget {
  copied = 0;
  /** Characters scanned plus characters copied. */
  steps = 0;
  constructor(readonly limits: ExpansionLimits = EXPANSION_LIMITS) {}
}

export interface Expanded {
  readonly text: string;
  readonly offsets: readonly number[];
  /** IN_INSTRUCTION, or the index of the global ARG whose default held the character. */
  readonly origins: readonly number[];
  /** Variables that had no value; their text is kept as written. */
  readonly unresolved: readonly string[];
}

/** A word whose expansion went past a bound; `limit` says which. */
export interface ExpansionLimit {
  readonly limit: string;
}

export function isLimit(e: Expanded | ExpansionLimit): e is ExpansionLimit {
  return "limit" in e;
}

export interface ArgValue {
  /** Index among the global ARGs, used as the origin of its characters. */
  readonly id: number;
  /** null when the ARG is declared without a default. */
  readonly value: Expanded | ExpansionLimit | null;
}

export type ArgScope = ReadonlyMap<string, ArgValue>;

class Builder {
  text = "";
  offsets: number[] = [];
  origins: number[] = [];
  unresolved: string[] = [];
  /**
   * The bound this word went past; once set, nothing more is added. Not an exception: a hostile file reaches a
   * bound thousands of times, and unwinding each time costs more than the bound saves.
   */
  failed: string | null = null;

  constructor(
    private readonly budget: ExpansionBudget,
    private readonly origin: number,
  ) {}

  literal(src: SourceText, i: number): void {
    if (!this.fits(1)) return;
    this.budget.steps++;
    this.text += src.text[i];
    this.offsets.push(src.offsets[i]!);
    this.origins.push(this.origin);
  }

  /** src.text[from, to) as written, in one piece (a character at a time was most of the expansion time). */
  raw(src: SourceText, from: number, to: number): void {
    if (from >= to || !this.fits(to - from)) return;
    this.budget.steps += to - from;
    this.text += src.text.slice(from, to);
    for (let i = from; i < to; i++) {
      this.offsets.push(src.offsets[i]!);
      this.origins.push(this.origin);
    }
  }

  append(e: Expanded | ExpansionLimit): void {
    if (this.failed !== null) return;
    if (isLimit(e)) return this.fail(e.limit);
    if (!this.fits(e.text.length)) return;
    const b = this.budget;
    if (b.copied + e.text.length > b.limits.maxCopied) {
      return this.fail(`needs more ARG expansion than one file may do (${b.limits.maxCopied} characters copied)`);
    }
    b.copied += e.text.length;
    b.steps += e.text.length;
    this.text += e.text;
    // A loop, not push(...e.offsets): spreading a large array overflows the stack.
    for (let k = 0; k < e.text.length; k++) {
      this.offsets.push(e.offsets[k]!);
      this.origins.push(e.origins[k]!);
    }
    for (const u of e.unresolved) this.unresolved.push(u);
  }

  fail(limit: string): void {
    this.failed ??= limit;
  }

  /** Whether `by` more characters fit under maxLength; if not, the word fails. */
  private fits(by: number): boolean {
    if (this.failed !== null) return false;
    const max = this.budget.limits.maxLength;
    if (this.text.length + by <= max) return true;
    this.fail(`expands to more than ${max} characters`);
    return false;
  }

  done(): Expanded | ExpansionLimit {
    if (this.failed !== null) return { limit: this.failed };
    return { text: this.text, offsets: this.offsets, origins: this.origins, unresolved: this.unresolved };
  }
}

interface Word {
  readonly src: SourceText;
  /** closes[i] is the index of the `}` that closes the `{` at i, or -1. */
  readonly closes: Int32Array;
  readonly scope: ArgScope;
  readonly escape: string;
  readonly out: Builder;
  readonly budget: ExpansionBudget;
}

/** Expands `word`; characters written in it get `origin`. */
export function expandWord(
  word: SourceText,
  scope: ArgScope,
  escape: string,
  budget: ExpansionBudget,
  origin = IN_INSTRUCTION,
): Expanded | ExpansionLimit {
  const out = new Builder(budget, origin);
  // Braces matter only after a `$`; most words have none, and are spared the table.
  const closes = word.text.includes("${") ? braceMatches(word.text, budget) : NO_BRACES;
  expandRange({ src: word, closes, scope, escape, out, budget }, 0, word.text.length, 0);
  return out.done();
}

/** Expands word.src.text[from, to) into word.out. */
function expandRange(w: Word, from: number, to: number, depth: number): void {
  if (depth > w.budget.limits.maxDepth) return w.out.fail(`nests variables deeper than ${w.budget.limits.maxDepth}`);
  const t = w.src.text;
  let quote: "'" | '"' | null = null;
  let i = from;
  while (i < to && w.out.failed === null) {
    w.budget.steps++;
    const c = t[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else w.out.literal(w.src, i);
      i++;
    } else if (isPlain(c, w.escape)) {
      const end = plainRunEnd(t, i, to, w.escape);
      w.budget.steps += end - i - 1;
      w.out.raw(w.src, i, end);
      i = end;
    } else if (c === "'" && quote === null) {
      quote = "'";
      i++;
    } else if (c === '"') {
      quote = quote === '"' ? null : '"';
      i++;
    } else if (c === w.escape && i + 1 < to) {
      w.out.literal(w.src, i + 1);
      i += 2;
    } else if (c === "$") {
      i = expandVariable(w, i, to, depth);
    } else {
      // The escape character as the word's last character is kept as written.
      w.out.literal(w.src, i);
      i++;
    }
  }
}

/** A character that stands for itself outside single quotes: no quote, escape or `$`. */
const isPlain = (c: string, escape: string): boolean => c !== "'" && c !== '"' && c !== "$" && c !== escape;

/** The end of the run of plain characters that starts at `from`, before `to`. */
function plainRunEnd(t: string, from: number, to: number, escape: string): number {
  let end = from + 1;
  while (end < to && isPlain(t[end]!, escape)) end++;
  return end;
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/** The variable name starting at `at` (it never runs into a closing `}`). */
function nameAt(t: string, at: number): string | undefined {
  NAME.lastIndex = at;
  return NAME.exec(t)?.[0];
}

/** `$…` at `at`, within [at, to); returns the index after it. */
function expandVariable(w: Word, at: number, to: number, depth: number): number {
  const t = w.src.text;
  const out = w.out;
  if (t[at + 1] !== "{" || at + 1 >= to) {
    const name = at + 1 < to ? nameAt(t, at + 1) : undefined;
    if (!name) {
      out.literal(w.src, at);
      return at + 1;
    }
    const end = at + 1 + name.length;
    substitute(w, name, () => out.raw(w.src, at, end));
    return end;
  }
  const matched = w.closes[at + 1]!;
  const close = matched === -1 || matched >= to ? -1 : matched;
  const name = nameAt(t, at + 2);
  if (close === -1 || !name) {
    // Not a valid ${...}: keep the text as written and call it unresolved.
    const end = close === -1 ? to : close + 1;
    out.raw(w.src, at, end);
    out.unresolved.push(t.slice(at, end));
    return end;
  }
  const asWritten = () => out.raw(w.src, at, close + 1);
  const p = at + 2 + name.length;
  const op = operatorAt(t, p, close);
  if (p === close) {
    substitute(w, name, asWritten);
  } else if (!op) {
    asWritten();
    out.unresolved.push(t.slice(at, close + 1));
  } else {
    const alt = () => expandRange(w, p + op.length, close, depth + 1);
    const v = w.scope.get(name)?.value ?? null;
    // A value past a bound is long, so it is set and not empty.
    const set = op.startsWith(":") ? v !== null && (isLimit(v) || v.text !== "") : v !== null;
    if (op.endsWith("-")) {
      if (set && v) out.append(v);
      else alt();
    } else if (op.endsWith("+")) {
      if (set) alt();
    } else if (set && v) {
      out.append(v);
    } else {
      asWritten();
      out.unresolved.push(name);
    }
  }
  return close + 1;
}

/** `:-`, `-`, `:+`, `+`, `:?` or `?` at p (before `close`), else undefined. */
function operatorAt(t: string, p: number, close: number): string | undefined {
  const isOp = (c: string | undefined) => c === "-" || c === "+" || c === "?";
  if (t[p] === ":" && p + 1 < close && isOp(t[p + 1])) return t.slice(p, p + 2);
  return p < close && isOp(t[p]) ? t[p] : undefined;
}

function substitute(w: Word, name: string, asWritten: () => void): void {
  const v = w.scope.get(name)?.value;
  if (v) return w.out.append(v);
  asWritten();
  w.out.unresolved.push(name);
}

const NO_BRACES = new Int32Array(0);

/** For each `{`, the index of the `}` that closes it (counting nested braces), in one pass. */
function braceMatches(t: string, budget: ExpansionBudget): Int32Array {
  const closes = new Int32Array(t.length).fill(-1);
  const open: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i] === "{") open.push(i);
    else if (t[i] === "}" && open.length > 0) closes[open.pop()!] = i;
  }
  budget.steps += t.length;
  return closes;
}
