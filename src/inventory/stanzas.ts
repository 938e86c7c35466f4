import type { DatabaseProblem } from "./types.js";

/** A block of non-blank lines and the 1-based line it starts on. */
export interface Stanza {
  readonly line: number;
  /** Read once, in order; the lines are cut from the text only as they are read. */
  readonly lines: Iterable<string>;
}

/** The lines of text[start, end), without their line ends. */
function* linesOf(text: string, start: number, end: number): Generator<string> {
  while (start < end) {
    const newline = text.indexOf("\n", start);
    const stop = newline < 0 || newline > end ? end : newline;
    yield text.slice(start, stop > start && text[stop - 1] === "\r" ? stop - 1 : stop);
    start = stop + 1;
  }
}

/**
 * Blocks separated by blank (or whitespace-only) lines, one at a time and without keeping
 * their lines, so neither millions of tiny blocks nor one block of millions of lines are held.
 */
export function* splitStanzas(text: string): Generator<Stanza> {
  let first = -1; // where the current block starts, -1 between blocks
  let firstLine = 0;
  let lineNumber = 0;
  for (let start = 0; start <= text.length;) {
    const newline = text.indexOf("\n", start);
    const end = newline < 0 ? text.length : newline;
    lineNumber++;
    if (text.slice(start, end).trim() === "") {
      if (first >= 0) yield { line: firstLine, lines: linesOf(text, first, start - 1) };
      first = -1;
    } else if (first < 0) {
      first = start;
      firstLine = lineNumber;
    }
    start = end + 1;
  }
  if (first >= 0) yield { line: firstLine, lines: linesOf(text, first, text.length) };
}

/** Most problems kept per file; the rest are counted in one last line. */
export const MAX_PROBLEMS = 100;

/** A problem list that keeps the first MAX_PROBLEMS and counts the others. */
export class ProblemList {
  private readonly kept: DatabaseProblem[] = [];
  private dropped = 0;
  constructor(private readonly file: string | undefined) {}
  add(line: number, message: string): void {
    if (this.kept.length < MAX_PROBLEMS) this.kept.push({ file: this.file, line, message });
    else this.dropped++;
  }
  list(): DatabaseProblem[] {
    if (this.dropped === 0) return this.kept;
    return [...this.kept, { file: this.file, message: `${this.dropped} more problems not listed` }];
  }
}
