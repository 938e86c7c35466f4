/**
 * Variable expansion of one word as BuildKit's shell lexer does it for FROM and
 * flag values: quotes, the escape character, `$X`, `${X}`, `${X:-w}`, `${X-w}`,
 * `${X:+w}`, `${X+w}`, `${X:?w}`. Each output character remembers its offset
 * in the file and where it came from (the instruction itself or an ARG), so
 * callers can tell whether a tag or digest is one contiguous run of real text.
 */
import type { SourceText } from "./source-text.js";

/** `origin` of characters written in the instruction itself. */
export const IN_INSTRUCTION = -1;

export interface Expanded {
  readonly text: string;
  readonly offsets: readonly number[];
  /** IN_INSTRUCTION, or the index of the global ARG whose default held the character. */
  readonly origins: readonly number[];
  /** Variables that had no value; their text is kept as written. */
  readonly unresolved: readonly string[];
}

export interface ArgValue {
  /** Index among the global ARGs, used as the origin of its characters. */
  readonly id: number;
  /** null when the ARG is declared without a default. */
  readonly value: Expanded | null;
}

export type ArgScope = ReadonlyMap<string, ArgValue>;

class Builder {
  text = "";
  offsets: number[] = [];
  origins: number[] = [];
  unresolved: string[] = [];

  constructor(private readonly origin: number) {}

  literal(src: SourceText, i: number): void {
    this.text += src.text[i];
    this.offsets.push(src.offsets[i]!);
    this.origins.push(this.origin);
  }

  raw(src: SourceText, from: number, to: number): void {
    for (let i = from; i < to; i++) this.literal(src, i);
  }

  append(e: Expanded): void {
    this.text += e.text;
    this.offsets.push(...e.offsets);
    this.origins.push(...e.origins);
    this.unresolved.push(...e.unresolved);
  }

  done(): Expanded {
    return { text: this.text, offsets: this.offsets, origins: this.origins, unresolved: this.unresolved };
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Expands `word`; characters written in it get `origin`. */
export function expandWord(word: SourceText, scope: ArgScope, escape: string, origin = IN_INSTRUCTION): Expanded {
  const out = new Builder(origin);
  const t = word.text;
  let quote: "'" | '"' | null = null;
  let i = 0;
  while (i < t.length) {
    const c = t[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else out.literal(word, i);
      i++;
    } else if (c === "'" && quote === null) {
      quote = "'";
      i++;
    } else if (c === '"') {
      quote = quote === '"' ? null : '"';
      i++;
    } else if (c === escape && i + 1 < t.length) {
      out.literal(word, i + 1);
      i += 2;
    } else if (c === "$") {
      i = expandVariable(word, i, scope, escape, out, origin);
    } else {
      out.literal(word, i);
      i++;
    }
  }
  return out.done();
}

function expandVariable(
  word: SourceText,
  at: number,
  scope: ArgScope,
  escape: string,
  out: Builder,
  origin: number,
): number {
  const t = word.text;
  if (t[at + 1] !== "{") {
    const name = NAME.exec(t.slice(at + 1))?.[0];
    if (!name) {
      out.literal(word, at);
      return at + 1;
    }
    const end = at + 1 + name.length;
    substitute(name, scope, out, () => out.raw(word, at, end));
    return end;
  }
  const close = matchingBrace(t, at + 1);
  const name = NAME.exec(t.slice(at + 2))?.[0];
  if (close === -1 || !name) {
    // Not a valid ${...}: keep the text as written and call it unresolved.
    out.raw(word, at, close === -1 ? t.length : close + 1);
    out.unresolved.push(t.slice(at, close === -1 ? t.length : close + 1));
    return close === -1 ? t.length : close + 1;
  }
  const asWritten = () => out.raw(word, at, close + 1);
  const rest = t.slice(at + 2 + name.length, close);
  const op = /^(:?[-+?])/.exec(rest)?.[1];
  if (rest === "") {
    substitute(name, scope, out, asWritten);
  } else if (!op) {
    asWritten();
    out.unresolved.push(t.slice(at, close + 1));
  } else {
    const wordStart = at + 2 + name.length + op.length;
    const alt = () =>
      expandWord(
        { text: t.slice(wordStart, close), offsets: word.offsets.slice(wordStart, close) },
        scope,
        escape,
        origin,
      );
    const v = scope.get(name)?.value ?? null;
    const set = op.startsWith(":") ? v !== null && v.text !== "" : v !== null;
    if (op.endsWith("-")) {
      if (set && v) out.append(v);
      else out.append(alt());
    } else if (op.endsWith("+")) {
      if (set) out.append(alt());
    } else if (set && v) {
      out.append(v);
    } else {
      asWritten();
      out.unresolved.push(name);
    }
  }
  return close + 1;
}

function substitute(name: string, scope: ArgScope, out: Builder, asWritten: () => void): void {
  const v = scope.get(name)?.value;
  if (v) return out.append(v);
  asWritten();
  out.unresolved.push(name);
}

function matchingBrace(t: string, open: number): number {
  let depth = 0;
  for (let i = open; i < t.length; i++) {
    if (t[i] === "{") depth++;
    else if (t[i] === "}" && --depth === 0) return i;
  }
  return -1;
}
