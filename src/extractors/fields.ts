/**
 * Images spread over several keys of one YAML mapping (Helm values' registry/repository/tag/digest,
 * Kustomize's name/newName/newTag/digest): each key read as a string with where its characters are,
 * and the pieces joined into one reference. A key that holds no usable string is a skip naming it.
 */
import { isScalar, type Node, type YAMLMap } from "yaml";
import type { FoundReference } from "../dockerfile/types.js";
import { lineOf } from "../dockerfile/source-text.js";
import { piecedReference, skippedReference, type ImagePiece } from "./literal.js";
import { get, resolve, scalarText, type YamlContext } from "./yaml/index.js";

/** One key of the mapping as read. `empty`: null, `""` or `''` (`pinAt`: between the quotes of `""`/`''`). */
export type Field =
  | { readonly type: "absent" }
  | { readonly type: "empty"; readonly line: number; readonly pinAt: number | null }
  | {
      readonly type: "string";
      readonly value: string;
      readonly start: number | null;
      readonly line: number;
      /** Written as a plain scalar (no quotes). */
      readonly plain: boolean;
    }
  | { readonly type: "other"; readonly what: string; readonly line: number };

const ABSENT: Field = { type: "absent" };

export function fieldOf(map: YAMLMap, key: string, ctx: YamlContext): Field {
  const node = get(map, key, ctx);
  if (node === null) return ABSENT;
  const line = lineAt(node, ctx);
  const target = resolve(node, ctx);
  if (!isScalar(target)) return { type: "other", what: target === null ? "an alias of nothing" : "not a scalar", line };
  if (target.value === null) return { type: "empty", line, pinAt: null };
  const text = scalarText(target, ctx.text);
  if (!text.isString) return { type: "other", what: `${text.value} (a ${typeof target.value})`, line };
  if (text.value !== "")
    return { type: "string", value: text.value, start: text.start, line, plain: target.type === "PLAIN" };
  return { type: "empty", line, pinAt: target.type === "PLAIN" ? null : text.start };
}

export const lineAt = (node: Node, ctx: YamlContext): number => lineOf(node.range?.[0] ?? 0, ctx.lineStarts);

/** A piece of the image's text from a string field. */
export const pieceOf = (field: Extract<Field, { type: "string" }>): ImagePiece => ({
  text: field.value,
  start: field.start,
});

/** A separator ("/", ":", "@") that is not in the file. */
export const joint = (text: string): ImagePiece => ({ text, start: null });

export interface SpreadImage {
  /** The repository's pieces (Helm: registry "/" repository; Kustomize: newName or name). */
  readonly name: readonly ImagePiece[];
  readonly tag: Field;
  readonly digest: Field;
  /** Names the tag key in messages: "tag", "newTag". */
  readonly tagKey: string;
  /** The line of the digest key, else of the tag key, else of the name. */
  readonly line: number;
}

/**
 * The reference a spread image names: name[:tag][@digest]. A tag or digest that is a number or a
 * mapping is `not-a-string`; an empty tag is `not-literal` (the chart's templates or the manifests
 * choose it). An empty quoted digest is where a pin writes the digest.
 */
export function spreadReference(image: SpreadImage): FoundReference {
  const { tag, digest, line } = image;
  const name = image.name.map((piece) => piece.text).join("");
  if (tag.type === "other")
    return skippedReference(line, name, "not-a-string", `${image.tagKey} is ${tag.what}, not a string: quote it`);
  if (digest.type === "other") return skippedReference(line, name, "not-a-string", `digest is ${digest.what}`);
  if (tag.type === "empty")
    return skippedReference(line, name, "not-literal", `${image.tagKey} is empty: the tag is chosen elsewhere`);
  const pieces = [...image.name];
  if (tag.type === "string") pieces.push(joint(":"), pieceOf(tag));
  if (digest.type === "string") pieces.push(joint("@"), pieceOf(digest));
  return piecedReference({
    pieces,
    line,
    pin: digest.type === "empty" ? digest.pinAt : null,
    plainTag: tag.type === "string" && tag.plain ? pieceOf(tag) : undefined,
  });
}

/** The first line among the fields that are present, in the order given. */
export function firstLine(fields: readonly Field[], fallback: number): number {
  for (const field of fields) if (field.type !== "absent") return field.line;
  return fallback;
}
