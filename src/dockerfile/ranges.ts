/**
 * Where the characters of an expanded reference live in the file: a contiguous run (a tag, a digest), a tag
 * template around one ARG default's run, the point at which a pin is inserted. See extract.ts for the rules.
 */
import { IN_INSTRUCTION, type Expanded } from "./expand.js";
import type { TagTemplate, TextRange } from "./types.js";

/** The source range of expanded characters [from, to), when they are one contiguous run. */
export function contiguous(e: Expanded, from: number, to: number): TextRange | null {
  if (from >= to) return null;
  for (let k = from; k + 1 < to; k++) if (e.offsets[k + 1] !== e.offsets[k]! + 1) return null;
  return { start: e.offsets[from]!, end: e.offsets[to - 1]! + 1 };
}

/** Expanded characters [from, to) as instruction text, then one run of a single ARG's characters, then instruction text. */
export function templateOf(e: Expanded, from: number, to: number): TagTemplate | null {
  let start = from;
  while (start < to && e.origins[start] === IN_INSTRUCTION) start++;
  if (start === to) return null;
  let end = start + 1;
  while (end < to && e.origins[end] === e.origins[start]) end++;
  for (let k = end; k < to; k++) if (e.origins[k] !== IN_INSTRUCTION) return null;
  const range = contiguous(e, start, end);
  return range ? { range, before: e.text.slice(from, start), after: e.text.slice(end, to) } : null;
}

/** Where a digest is inserted to pin: after a tag written in the instruction, or at the end of a whole ARG default. */
export function pinPoint(
  e: Expanded,
  digest: string | null,
  tagStart: number,
  tagRange: TextRange | null,
  argValues: ReadonlyMap<number, Expanded>,
): number | null {
  if (digest || !tagRange) return null;
  if (e.origins.slice(tagStart).every((o) => o === IN_INSTRUCTION)) return tagRange.end;
  const origin = e.origins[0]!;
  const whole = argValues.get(origin);
  const isWholeArg =
    origin !== IN_INSTRUCTION &&
    e.origins.every((o) => o === origin) &&
    whole !== undefined &&
    whole.text === e.text &&
    whole.offsets[0] === e.offsets[0] &&
    contiguous(e, 0, e.text.length) !== null;
  return isWholeArg ? tagRange.end : null;
}
