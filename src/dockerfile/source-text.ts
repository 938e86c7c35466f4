/**
 * Text cut out of a file that still knows where each character came from, so
 * ranges found after joining continuation lines or expanding ARGs point back
 * at the real characters.
 */
export interface SourceText {
  readonly text: string;
  /** offsets[i] is the UTF-16 offset in the file of text[i]; a view shared with the text it was cut from. */
  readonly offsets: Int32Array;
}

export function slice(s: SourceText, start: number, end = s.text.length): SourceText {
  return { text: s.text.slice(start, end), offsets: s.offsets.subarray(start, end) };
}

/**
 * Whitespace-separated words; quotes and the escape character keep spaces inside a word. Stops after a word
 * for which `last` says true (a RUN's flags are read without cutting its whole script into words).
 */
export function words(s: SourceText, escape: string, last?: (word: SourceText) => boolean): SourceText[] {
  const out: SourceText[] = [];
  const t = s.text;
  let start = -1;
  let quote: string | null = null;
  for (let i = 0; i <= t.length; i++) {
    const c = t[i];
    if (c !== undefined && quote !== null) {
      if (c === quote) quote = null;
      else if (c === escape && quote === '"' && i + 1 < t.length) i++;
      continue;
    }
    if (c === undefined || c === " " || c === "\t") {
      if (start !== -1) {
        const word = slice(s, start, i);
        out.push(word);
        if (last?.(word)) break;
      }
      start = -1;
      continue;
    }
    if (start === -1) start = i;
    if (c === '"' || c === "'") quote = c;
    else if (c === escape && i + 1 < t.length) i++;
  }
  return out;
}

/** Offsets at which the lines of `content` start. */
export function lineStarts(content: string): number[] {
  const starts = [0];
  for (let i = content.indexOf("\n"); i !== -1; i = content.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** The 1-based line of `offset`, by binary search over lineStarts(). */
export function lineOf(offset: number, starts: readonly number[]): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
