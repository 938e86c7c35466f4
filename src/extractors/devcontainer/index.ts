/**
 * Dev containers (SPEC 2a): `.devcontainer/devcontainer.json`, `.devcontainer.json` and
 * `.devcontainer/<name>/devcontainer.json`, JSON with comments and trailing commas. The image is the
 * top-level `image`; its characters are found by the parser's ranges, and the file is never
 * re-serialized, so comments, commas, CRLF and a BOM stay as written.
 */
import { createScanner, parseTree, printParseErrorCode, SyntaxKind, type Node, type ParseError } from "jsonc-parser";
import type { ExtractionResult, FoundReference } from "../../dockerfile/types.js";
import { lineOf, lineStarts } from "../../dockerfile/source-text.js";
import { literalReference, skippedReference } from "../literal.js";
import type { Extractor } from "../types.js";
import { YAML_LIMITS } from "../yaml/index.js";

const DEVCONTAINER_PATH = /^(\.devcontainer\.json|\.devcontainer\/([^/]+\/)?devcontainer\.json)$/;

/** Arrays and objects open at once: deeper files are not parsed (the parser recurses once per level). */
export const MAX_JSON_DEPTH = 64;

export const devcontainer: Extractor = {
  kind: "devcontainer",
  matches: (path) => DEVCONTAINER_PATH.test(path),
  extract: (_path, content) => extractDevcontainer(content),
};

export function extractDevcontainer(content: string): ExtractionResult {
  if (content.includes("\u0000")) return { references: [], error: "not a text file (contains NUL bytes)" };
  if (content.length > YAML_LIMITS.maxLength)
    return unread(`the file is longer than ${YAML_LIMITS.maxLength} characters`, "limit-exceeded");
  // The parser takes a BOM for a stray symbol; a space in its place keeps every offset.
  const text = content.startsWith("\uFEFF") ? ` ${content.slice(1)}` : content;
  if (depthOf(text) > MAX_JSON_DEPTH) return unread(`nests deeper than ${MAX_JSON_DEPTH}`, "limit-exceeded");
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const starts = lineStarts(content);
  const error = errors[0];
  if (error) {
    const line = lineOf(error.offset, starts);
    return unread(`invalid JSON at line ${line}: ${printParseErrorCode(error.error)}`, "parse-error");
  }
  const image = root?.type === "object" ? lastProperty(root, "image") : null;
  return { references: image ? [imageOf(image, content, starts)] : [], error: null };
}

function unread(detail: string, errorReason: "parse-error" | "limit-exceeded"): ExtractionResult {
  return { references: [], error: `not read as JSON: ${detail}`, errorReason };
}

/** The deepest nesting of arrays and objects, by the scanner (strings and comments skipped), without recursion. */
function depthOf(text: string): number {
  const scanner = createScanner(text, true);
  let depth = 0;
  let deepest = 0;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      deepest = Math.max(deepest, ++depth);
      if (deepest > MAX_JSON_DEPTH) break;
    } else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) {
      depth = Math.max(0, depth - 1);
    }
  }
  return deepest;
}

/** The value of the last property named `key` (a key written twice means its last value, as JSON.parse reads it). */
function lastProperty(object: Node, key: string): Node | null {
  let value: Node | null = null;
  for (const property of object.children ?? []) {
    const [name, node] = property.children ?? [];
    if (name?.value === key && node) value = node;
  }
  return value;
}

function imageOf(node: Node, content: string, starts: readonly number[]): FoundReference {
  const line = lineOf(node.offset, starts);
  if (node.type !== "string" || typeof node.value !== "string") {
    return skippedReference(line, "", "not-a-string", `the image is ${node.type}, not a string`);
  }
  // Escapes (`\u0040`) leave the characters where they are not one for one: then nothing is rewritten.
  const raw = content.slice(node.offset + 1, node.offset + node.length - 1);
  return literalReference({ value: node.value, start: raw === node.value ? node.offset + 1 : null, line });
}
