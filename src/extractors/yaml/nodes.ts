/**
 * Reading a composed YAML document by its node ranges: mappings, sequences, aliases (resolved one
 * level, never expanded), merge keys, and where a scalar's characters sit in the file. Every node
 * visited spends from a per-file budget, so no document shape costs more than YAML_LIMITS.maxVisits.
 */
import { isAlias, isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import type { FoundReference } from "../../dockerfile/types.js";
import { lineOf } from "../../dockerfile/source-text.js";
import { literalReference } from "../literal.js";
import { YAML_LIMITS } from "./limits.js";
import type { YamlDocument } from "./parse.js";

export class VisitLimitError extends Error {
  override name = "VisitLimitError";
}

export interface YamlContext {
  readonly text: string;
  readonly lineStarts: readonly number[];
  readonly document: YamlDocument;
  /** Visits left in this file; shared by its documents. */
  readonly budget: { remaining: number };
}

export const newBudget = (): { remaining: number } => ({ remaining: YAML_LIMITS.maxVisits });

/** Spends one visit from the file's budget; throws VisitLimitError past YAML_LIMITS.maxVisits. */
export function spend(ctx: YamlContext): void {
  if (--ctx.budget.remaining < 0) throw new VisitLimitError(`more than ${YAML_LIMITS.maxVisits} YAML nodes visited`);
}

/** The node an alias stands for (the last anchor of that name before it), or the node itself. */
export function resolve(node: unknown, ctx: YamlContext): Node | null {
  spend(ctx);
  if (!isAlias(node)) return (node as Node | null | undefined) ?? null;
  const at = node.range?.[0] ?? 0;
  const anchored = ctx.document.anchors.get(node.source) ?? [];
  for (let i = anchored.length - 1; i >= 0; i--) {
    const candidate = anchored[i]!;
    if ((candidate.range?.[0] ?? 0) < at) return candidate;
  }
  return null;
}

export function asMap(node: unknown, ctx: YamlContext): YAMLMap | null {
  const resolved = resolve(node, ctx);
  return isMap(resolved) ? resolved : null;
}

export function asSeq(node: unknown, ctx: YamlContext): YAMLSeq | null {
  const resolved = resolve(node, ctx);
  return isSeq(resolved) ? resolved : null;
}

/** The value node under `key` (the last one when written twice), then under `<<` merge keys; null when absent. */
export function get(map: YAMLMap, key: string, ctx: YamlContext): Node | null {
  let found: Node | null = null;
  let merges: unknown[] = [];
  for (const pair of map.items) {
    spend(ctx);
    const name = isScalar(pair.key) ? pair.key.value : undefined;
    if (name === key) found = (pair.value as Node | null) ?? null;
    else if (name === "<<") merges = isSeq(pair.value) ? pair.value.items : [pair.value];
  }
  if (found !== null) return found;
  for (const merge of merges) {
    const source = asMap(merge, ctx);
    const value = source && get(source, key, ctx);
    if (value) return value;
  }
  return null;
}

/** The mapping's string keys with their value nodes, in file order (merge keys left out). */
export function entries(map: YAMLMap, ctx: YamlContext): [string, Node | null][] {
  const out: [string, Node | null][] = [];
  for (const pair of map.items) {
    spend(ctx);
    const name = isScalar(pair.key) ? pair.key.value : undefined;
    if (typeof name === "string" && name !== "<<") out.push([name, (pair.value as Node | null) ?? null]);
  }
  return out;
}

export function items(seq: YAMLSeq, ctx: YamlContext): Node[] {
  return seq.items.flatMap((item) => {
    spend(ctx);
    return item === null || item === undefined ? [] : [item as Node];
  });
}

/** A scalar's text, and where its characters sit in the file, one for one; start null when they do not. */
export interface ScalarText {
  readonly value: string;
  readonly start: number | null;
  /** False for numbers, booleans and null: the text is then the source as written. */
  readonly isString: boolean;
}

export function scalarText(scalar: Scalar, text: string): ScalarText {
  const [from, to] = scalar.range ?? [0, 0];
  const raw = text.slice(from, to);
  if (typeof scalar.value !== "string") return { value: raw, start: from, isString: false };
  const value = scalar.value;
  const at = (start: number | null): ScalarText => ({ value, start, isString: true });
  switch (scalar.type) {
    case "PLAIN":
      return at(raw === value ? from : null);
    case "QUOTE_SINGLE":
    case "QUOTE_DOUBLE":
      return at(raw.slice(1, -1) === value ? from + 1 : null);
    default: {
      // A block scalar: one line of content after the header line, trailing line breaks aside.
      const core = value.replace(/\n+$/, "");
      const body = raw.indexOf("\n") + 1;
      const k = core === "" || core.includes("\n") || body === 0 ? -1 : raw.indexOf(core, body);
      return at(k === -1 || raw.indexOf(core, k + 1) !== -1 ? null : from + k);
    }
  }
}

export function stringAt(node: unknown, ctx: YamlContext): string | null {
  const resolved = resolve(node, ctx);
  return isScalar(resolved) && typeof resolved.value === "string" ? resolved.value : null;
}

/** The image named by `node` (a scalar, or an alias of one); the reference's line is where `node` is. */
export function imageAt(node: Node, ctx: YamlContext, platform: string | null = null): FoundReference {
  const line = lineOf(node.range?.[0] ?? 0, ctx.lineStarts);
  const target = resolve(node, ctx);
  if (isAlias(node) && target === null) return notAString(line, `*${node.source} names no anchor before it`);
  if (!isScalar(target) || typeof target.value !== "string") {
    const what = isMap(target)
      ? "a mapping"
      : isSeq(target)
        ? "a list"
        : isScalar(target)
          ? String(target.value)
          : "nothing";
    return notAString(line, `the image is ${what}, not a string`);
  }
  const { value, start } = scalarText(target, ctx.text);
  return literalReference({ value, start, line, platform });
}

export function notAString(line: number, detail: string): FoundReference {
  return {
    line,
    instruction: null,
    expanded: "",
    ref: null,
    platform: null,
    digestRange: null,
    tagRange: null,
    tagTemplate: null,
    pinInsertAt: null,
    skip: { reason: "not-a-string", detail },
  };
}
