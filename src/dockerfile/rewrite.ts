/**
 * Rewriting is a pure (content, edits) → content step. Identical edits (same
 * range, same text: two FROMs sharing one ARG default) count once; any other
 * overlap is a programming error and throws.
 */
import type { TextEdit } from "./types.js";

export class OverlappingEditsError extends Error {
  override name = "OverlappingEditsError";
}

export function applyEdits(content: string, edits: readonly TextEdit[]): string {
  const unique = new Map<string, TextEdit>();
  for (const e of edits) {
    if (e.range.start < 0 || e.range.end > content.length || e.range.start > e.range.end) {
      throw new RangeError(`edit range ${e.range.start}-${e.range.end} is outside content of length ${content.length}`);
    }
    unique.set(`${e.range.start}:${e.range.end}:${e.text}`, e);
  }
  const sorted = [...unique.values()].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const next = sorted[i]!;
    if (next.range.start < prev.range.end || next.range.start === prev.range.start) {
      throw new OverlappingEditsError(
        `edits overlap: ${prev.range.start}-${prev.range.end} ${JSON.stringify(prev.text)} and ${next.range.start}-${next.range.end} ${JSON.stringify(next.text)}`,
      );
    }
  }
  let out = "";
  let at = 0;
  for (const e of sorted) {
    out += content.slice(at, e.range.start) + e.text;
    at = e.range.end;
  }
  return out + content.slice(at);
}
