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

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;

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
    const m = DIRECTIVE.exec(content.slice(l.start, l.end).trimStart());
    if (!m) break;
    if (m[1]?.toLowerCase() === "escape" && (m[2] === "`" || m[2] === "\\")) escape = m[2];
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
  const continuation = new RegExp(`${escape === "\\" ? "\\\\" : "`"}[ \\t]*$`);
  const instructions: Instruction[] = [];

  let i = 0;
  while (i < lines.length) {
    const first = lines[i]!;
    if (isBlankOrComment(content.slice(first.start, first.end))) {
      i++;
      continue;
    }
    const startLine = i + 1;
    let text = "";
    const offsets: number[] = [];
    for (let continued = false; i < lines.length; i++, continued = true) {
      const l = lines[i]!;
      const raw = content.slice(l.start, l.end);
      if (continued && isBlankOrComment(raw)) continue;
      const m = continuation.exec(raw);
      const keep = m ? m.index : raw.length;
      for (let k = 0; k < keep; k++) offsets.push(l.start + k);
      text += raw.slice(0, keep);
      if (!m) {
        i++;
        break;
      }
    }
    const instruction = toInstruction(text, offsets, startLine);
    if (!instruction) continue;
    instructions.push(instruction);
    i = skipHeredocs(content, lines, i, heredocsOf(instruction.keyword, instruction.args.text));
  }
  return { instructions, escape };
}

function toInstruction(text: string, offsets: number[], line: number): Instruction | null {
  const m = /^[ \t]*(\S+)[ \t]*/.exec(text);
  if (!m) return null;
  let end = text.length;
  while (end > m[0].length && /[ \t]/.test(text[end - 1]!)) end--;
  return {
    keyword: m[1]!.toUpperCase(),
    args: { text: text.slice(m[0].length, end), offsets: offsets.slice(m[0].length, end) },
    line,
  };
}

/** Consumes the heredoc bodies, one after another, that follow an instruction; returns the next line index. */
function skipHeredocs(content: string, lines: PhysicalLine[], next: number, heredocs: HeredocMarker[]): number {
  let i = next;
  for (const { name, chomp } of heredocs) {
    for (; i < lines.length; i++) {
      const raw = content.slice(lines[i]!.start, lines[i]!.end).replace(/\r+$/, "");
      if ((chomp ? raw.replace(/^\t+/, "") : raw) === name) {
        i++;
        break;
      }
    }
  }
  return i;
}
