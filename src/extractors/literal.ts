/**
 * An image written as one literal string in a file (a YAML scalar, a JSON string, a `docker://` step):
 * the reference, and the ranges of its tag and digest characters when the string's characters sit in
 * the file one for one from `start`. Variables and templates are a skip, never a guess.
 */
import { parseImageReference, parseReference } from "../reference/index.js";
import type { FoundReference, SkipReason, TextRange } from "../dockerfile/types.js";

export interface LiteralImage {
  /** The string's value. */
  readonly value: string;
  /** Offset in the file of value[0] when the value is written there character for character, else null. */
  readonly start: number | null;
  /** 1-based line of the value (of the alias that uses it, for a YAML alias). */
  readonly line: number;
  /** A fixed platform written beside the image (compose `platform:`), else null. */
  readonly platform?: string | null;
}

/** `${VAR}`, `$VAR`, `$(VAR)`, `${{ expr }}`, `{{ .Values.x }}`: text another tool fills in. */
const TEMPLATE = /\$\{|\$\(|\$[A-Za-z_]|\{\{|\{%/;

export function isTemplate(value: string): boolean {
  return TEMPLATE.test(value);
}

export function literalReference(image: LiteralImage): FoundReference {
  const { value, start, line } = image;
  const base = {
    line,
    instruction: null,
    expanded: value,
    ref: null,
    platform: image.platform ?? null,
    digestRange: null,
    tagRange: null,
    tagTemplate: null,
    pinInsertAt: null,
  };
  const skip = (reason: SkipReason, detail: string): FoundReference => ({ ...base, skip: { reason, detail } });
  if (isTemplate(value))
    return skip("not-literal", `${JSON.stringify(shown(value))} is a variable or template, not an image`);
  const parsed = parseReference(value);
  if (!parsed.ok) {
    const reason = parsed.error.name === "digest.ErrDigestUnsupported" ? "unsupported-digest" : "invalid-reference";
    return skip(reason, `${parsed.error.message}: ${JSON.stringify(shown(value))}`);
  }
  const result = parseImageReference(value);
  if (!result.ok) return skip("invalid-reference", result.reason);
  const ref = result.ref;
  const range = (from: number, to: number): TextRange | null =>
    start === null || from >= to ? null : { start: start + from, end: start + to };
  const tagStart = ref.name.length + 1;
  const tagRange = ref.tag ? range(tagStart, tagStart + ref.tag.length) : null;
  const digestRange = ref.digest ? range(value.length - ref.digest.length, value.length) : null;
  const found: FoundReference = {
    ...base,
    ref,
    digestRange,
    tagRange,
    pinInsertAt: ref.digest === null && tagRange !== null ? tagRange.end : null,
    skip: null,
  };
  if (ref.digest && !ref.tag) {
    return { ...found, skip: { reason: "digest-without-tag", detail: `${value} has a digest but no tag to follow` } };
  }
  return found;
}

function shown(text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 200)}…`;
}
