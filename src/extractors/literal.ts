/**
 * An image written as literal text in a file: one string (a YAML scalar, a JSON string, a `docker://`
 * step) or several (Helm's registry/repository/tag/digest, Kustomize's newName/newTag/digest). The
 * reference, and the ranges of its tag and digest characters when each sits in one piece whose
 * characters are in the file one for one. Variables and templates are a skip, never a guess.
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

/** Part of an image's text: a value from the file (start set when it is there one for one) or a separator. */
export interface ImagePiece {
  readonly text: string;
  readonly start: number | null;
}

/** An image whose text is its pieces joined, e.g. registry + "/" + repository + ":" + tag. */
export interface PiecedImage {
  readonly pieces: readonly ImagePiece[];
  readonly line: number;
  /**
   * Where a digest goes to pin: "after-tag" writes "@<digest>" after the tag (one string); a number is the
   * offset of an empty digest field, filled with the bare digest; null when it cannot be pinned.
   */
  readonly pin: "after-tag" | number | null;
  readonly platform?: string | null;
  /** The tag's own piece, when it is a plain YAML scalar (see FoundReference.tagIsPlainYaml). */
  readonly plainTag?: ImagePiece;
}

/** `${VAR}`, `$VAR`, `$(VAR)`, `${{ expr }}`, `{{ .Values.x }}`: text another tool fills in. */
const TEMPLATE = /\$\{|\$\(|\$[A-Za-z_]|\{\{|\{%/;

export function isTemplate(value: string): boolean {
  return TEMPLATE.test(value);
}

export function literalReference(image: LiteralImage): FoundReference {
  const pieces = [{ text: image.value, start: image.start }];
  return piecedReference({ pieces, line: image.line, pin: "after-tag", platform: image.platform ?? null });
}

/** A reference that is not followed, with the text it was read as (may be "") and why. */
export function skippedReference(line: number, expanded: string, reason: SkipReason, detail: string): FoundReference {
  return found(line, expanded, null, { skip: { reason, detail } });
}

export function piecedReference(image: PiecedImage): FoundReference {
  const { pieces, line } = image;
  const value = pieces.map((piece) => piece.text).join("");
  const skip = (reason: SkipReason, detail: string): FoundReference =>
    found(line, value, image.platform ?? null, { skip: { reason, detail } });
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
  const tagStart = ref.name.length + 1;
  const tagRange = ref.tag ? rangeIn(pieces, tagStart, tagStart + ref.tag.length) : null;
  const digestRange = ref.digest ? rangeIn(pieces, value.length - ref.digest.length, value.length) : null;
  const unpinned = ref.digest === null;
  const pinInsertAt =
    image.pin === "after-tag" ? (unpinned && tagRange !== null ? tagRange.end : null) : unpinned ? image.pin : null;
  return found(line, value, image.platform ?? null, {
    ref,
    digestRange,
    tagRange,
    pinInsertAt,
    pinPrefix: image.pin === "after-tag" ? "@" : "",
    tagIsPlainYaml: isWholePiece(tagRange, image.plainTag),
    skip:
      ref.digest && !ref.tag
        ? { reason: "digest-without-tag", detail: `${value} has a digest but no tag to follow` }
        : null,
  });
}

/** Characters [from, to) of the joined pieces in the file, when they lie in one piece that is there. */
function rangeIn(pieces: readonly ImagePiece[], from: number, to: number): TextRange | null {
  if (from >= to) return null;
  let at = 0;
  for (const piece of pieces) {
    const end = at + piece.text.length;
    if (from >= at && to <= end)
      return piece.start === null ? null : { start: piece.start + from - at, end: piece.start + to - at };
    at = end;
  }
  return null;
}

/** Whether the range is all of the piece's characters (a tag that is its scalar, not part of it). */
function isWholePiece(range: TextRange | null, piece: ImagePiece | undefined): boolean {
  return range !== null && piece?.start === range.start && piece.start + piece.text.length === range.end;
}

/** Every field in one order (one object shape for the planner). */
function found(
  line: number,
  expanded: string,
  platform: string | null,
  read: Partial<
    Pick<FoundReference, "ref" | "digestRange" | "tagRange" | "pinInsertAt" | "pinPrefix" | "tagIsPlainYaml" | "skip">
  >,
): FoundReference {
  return {
    line,
    instruction: null,
    expanded,
    ref: read.ref ?? null,
    platform,
    digestRange: read.digestRange ?? null,
    tagRange: read.tagRange ?? null,
    tagTemplate: null,
    pinInsertAt: read.pinInsertAt ?? null,
    pinPrefix: read.pinPrefix ?? "@",
    tagIsPlainYaml: read.tagIsPlainYaml ?? false,
    skip: read.skip ?? null,
  };
}

function shown(text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 200)}…`;
}
