/**
 * Splits a Dockerfile into instructions the way BuildKit reads it: BOM, parser
 * directives (`# escape=`), comments, line continuations (comment and blank
 * lines inside them are dropped), CRLF, and heredoc bodies, which are skipped.
 * Every character of an instruction keeps its offset in the original content.
 */
import { heredocsOf, type HeredocMarker } from "./heredoc.js";
import type { SourceText } from "./source-text.js";

export interface Instruction {
  /** Upper-cased keyword, e.g. "FROM". */
  readonly keyword: string;
  /** Everything after the keyword, trimmed, continuations joined. */
  readonly args: SourceText;
  /** 1-based line of the keyword. */
  readonly line: number;
}

export interface LexResult {
  readonly instructions: Instruction[];
  readonly escape: "\\" | "`";
}

interface PhysicalLine {
  readonly start: number;
  /** Exclusive, before "\r\n" or "\n". */
  readonly end: number;
}

/** `# name=` at the start of a directive line; the value is cut out apart (a regex for both backtracks quadratically). */
const DIRECTIVE_NAME = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=/;
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** A parser directive `# name=value` (value trimmed, on one line), or null. */
function directiveOf(line: string): { name: string; value: string } | null {
  const m = DIRECTIVE_NAME.exec(line);
  if (!m) return null;
  const rest = line.slice(m[0].length);
  const value = rest.trim();
  if (LINE_BREAK.test(value)) return null;
  // A blank value still makes a directive when it has a character other than a line break (as `.+?\s*$` did).
  if (value === "" && !/[^\n\r\u2028\u2029]/.test(rest)) return null;
  return { name: m[1]!, value };
}

function physicalLines(content: string, from: number): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  let start = from;
  while (start <= content.length) {
    const nl = content.indexOf("\n", start);
    const stop = nl === -1 ? content.length : nl;
    const end = stop > start && content[stop - 1] === "\r" ? stop - 1 : stop;
    lines.push({ start, end });
    if (nl === -1) break;
    start = nl + 1;
  }
  return lines;
}

function readEscape(content: string, lines: PhysicalLine[]): "\\" | "`" {
  let escape: "\\" | "`" = "\\";
  for (const l of lines) {
    const d = directiveOf(content.slice(l.start, l.end).trimStart());
    if (!d) break;
    if (d.name.toLowerCase() === "escape" && (d.value === "`" || d.value === "\\")) escape = d.value;
  }
  return escape;
}

function isBlankOrComment(text: string): boolean {
  const t = text.trimStart();
  return t === "" || t.startsWith("#");
}

export function lex(content: string): LexResult {
  const bom = content.startsWith("\uFEFF") ? 1 : 0;
  const lines = physicalLines(content, bom);
  const escape = readEscape(content, lines);
  const instructions: Instruction[] = [];
  // The file offset of every instruction character, in one buffer for the whole file: each instruction's
  // offsets are a view of it (an array per instruction, copied again per word, was most of the garbage).
  const offsets = new Int32Array(content.length);
  let used = 0;

  let i = 0;
  while (i < lines.length) {
    const first = lines[i]!;
    if (isBlankOrComment(content.slice(first.start, first.end))) {
      i++;
      continue;
    }
    const startLine = i + 1;
    let text = "";
    const from = used;
    for (let continued = false; i < lines.length; i++, continued = true) {
      const l = lines[i]!;
      const raw = content.slice(l.start, l.end);
      if (continued && isBlankOrComment(raw)) continue;
      const at = continuationAt(raw, escape);
      const keep = at === -1 ? raw.length : at;
      for (let k = 0; k < keep; k++) offsets[used++] = l.start + k;
      text += raw.slice(0, keep);
      if (at === -1) {
        i++;
        break;
      }
    }
    const instruction = toInstruction(text, offsets.subarray(from, used), startLine);
    if (!instruction) continue;
    instructions.push(instruction);
    i = skipHeredocs(content, lines, i, heredocsOf(instruction.keyword, instruction.args.text));
  }
  return { instructions, escape };
}

/** Where the escape character that continues this line stands (followed by blanks only), else -1. */
function continuationAt(line: string, escape: string): number {
  let end = line.length;
  while (end > 0 && (line[end - 1] === " " || line[end - 1] === "\t")) end--;
  return end > 0 && line[end - 1] === escape ? end - 1 : -1;
}

function toInstruction(text: string, offsets: Int32Array, line: number): Instruction | null {
  const m = /^[ \t]*(\S+)[ \t]*/.exec(text);
  if (!m) return null;
  let end = text.length;
  while (end > m[0].length && /[ \t]/.test(text[end - 1]!)) end--;
  return {
    keyword: m[1]!.toUpperCase(),
    args: { text: text.slice(m[0].length, end), offsets: offsets.subarray(m[0].length, end) },
    line,
  };
}

/** Consumes the heredoc bodies, one after another, that follow an instruction; returns the next line index. */
function skipHeredocs(content: string, lines: PhysicalLine[], next: number, heredocs: HeredocMarker[]): number {
  let i = next;
  for (const { name, chomp } of heredocs) {
    for (; i < lines.length; i++) {
      const raw = withoutTrailingCRs(content.slice(lines[i]!.start, lines[i]!.end));
      if ((chomp ? raw.replace(/^\t+/, "") : raw) === name) {
        i++;
        break;
      }
    }
  }
  return i;
}

/** The line without its trailing `\r`s; a loop, since `/\r+$/` is quadratic on a line of many `\r`. */
function withoutTrailingCRs(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === "\r") end--;
  return line.slice(0, end);
}
