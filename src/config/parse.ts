import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, type YAMLMap } from "yaml";
import type { z } from "zod";
import { RepinConfigSchema, type RepinConfig } from "./schema.js";

export const DEFAULT_CONFIG_FILE = ".github/repin.yml";

/** A larger config is a config error, not parsed at all (SPEC 10: every config has a size bound). */
export const MAX_CONFIG_BYTES = 64 * 1024;

export interface ConfigError {
  readonly file: string;
  /** 1-based line of the offending key or value. */
  readonly line: number;
  readonly reason: string;
}

export type ConfigParseResult =
  { readonly ok: true; readonly config: RepinConfig } | { readonly ok: false; readonly error: ConfigError };

type Path = readonly PropertyKey[];

/** Each map's pairs by key, built once per map, so locating every problem stays linear in the file. */
type KeyIndex = WeakMap<YAMLMap, Map<unknown, Pair>>;

const keyOf = (pair: Pair): unknown => (isScalar(pair.key) ? pair.key.value : pair.key);

function pairOf(map: YAMLMap, key: PropertyKey, index: KeyIndex): Pair | undefined {
  let pairs = index.get(map);
  if (!pairs) {
    pairs = new Map();
    for (const pair of map.items) if (!pairs.has(keyOf(pair))) pairs.set(keyOf(pair), pair);
    index.set(map, pairs);
  }
  return pairs.get(key);
}

/**
 * The offset of the first key (by position) that repeats an earlier key of its map, or null. yaml's own `uniqueKeys` check
 * compares each key with every earlier one, quadratic in the keys of a map; this uses a set per map, and a stack
 * rather than recursion. Aliases are not followed: the node they name is checked where it is written.
 */
function firstDuplicateKey(root: Node | null): number | null {
  let first: number | null = null;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const key = keyOf(pair);
        const at = (pair.key as Node | null)?.range?.[0];
        if (seen.has(key) && at !== undefined && (first === null || at < first)) first = at;
        seen.add(key);
        stack.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  return first;
}

/** The start offset of the YAML node at `path`: the value when it has one, else its key, else the nearest parent. */
function offsetOf(root: Node | null, path: Path, index: KeyIndex, unknownKey?: string): number {
  let node: unknown = root;
  let offset = root?.range?.[0] ?? 0;
  const steps = unknownKey === undefined ? path : [...path, unknownKey];
  for (const [i, step] of steps.entries()) {
    if (isMap(node)) {
      const pair = pairOf(node, step, index);
      if (!pair) return offset;
      const isLast = i === steps.length - 1;
      const keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      const value = pair.value as Node | null;
      // An unknown key points at the key itself; anything else at its value.
      offset = (isLast && unknownKey !== undefined ? keyOffset : (value?.range?.[0] ?? keyOffset)) ?? offset;
      node = value;
    } else if (isSeq(node) && typeof step === "number") {
      const item = node.items[step] as Node | undefined;
      offset = item?.range?.[0] ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return offset;
}

function issueText(issue: z.core.$ZodIssue): string {
  const where = issue.path.map(String).join(".");
  // A bad record key carries its own reason one level down.
  const message = issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  return where === "" ? message : `${where}: ${message}`;
}

/** The first line of a yaml error without its " at line L, column C:" tail (the line is reported apart). */
function yamlMessage(message: string): string {
  return (message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "") || "invalid YAML";
}

/**
 * Parse and validate `.github/repin.yml`. Never throws: bad YAML gives the
 * YAML error's line, a validation problem the line of the key or value it is
 * about (the first one in the file; the reason counts the rest). An empty
 * file (or one with only comments) is the default config. A file over
 * MAX_CONFIG_BYTES is an error without being parsed; below it the work is
 * linear in the file.
 */
export function parseRepinConfig(text: string, file: string = DEFAULT_CONFIG_FILE): ConfigParseResult {
  const fail = (line: number, reason: string): ConfigParseResult => ({ ok: false, error: { file, line, reason } });
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_CONFIG_BYTES) {
    return fail(1, `the file is ${kib(bytes)} KiB; a repin config may be at most ${kib(MAX_CONFIG_BYTES)} KiB`);
  }
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: false });
    const root = doc.contents as Node | null;
    const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
    const yamlError = doc.errors[0];
    const duplicate = firstDuplicateKey(root);
    if (duplicate !== null && (!yamlError || duplicate < yamlError.pos[0])) {
      return fail(lineAt(duplicate), "Map keys must be unique");
    }
    if (yamlError) return fail(yamlError.linePos?.[0].line ?? 1, yamlMessage(yamlError.message));
    const value: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
    const index: KeyIndex = new WeakMap();
    if (typeof value !== "object" || Array.isArray(value))
      return fail(lineAt(root?.range?.[0] ?? 0), "the config must be a mapping of keys to values");

    const parsed = RepinConfigSchema.safeParse(value);
    if (parsed.success) return { ok: true, config: parsed.data };
    const located = parsed.error.issues.flatMap((issue) => {
      const unknown = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
      return unknown.map((key) => ({
        line: lineAt(offsetOf(root, issue.path, index, key)),
        reason:
          key === undefined
            ? issueText(issue)
            : issueText({ ...issue, path: [...issue.path, key], message: "unknown key" }),
      }));
    });
    located.sort((a, b) => a.line - b.line);
    const [first, ...rest] = located;
    if (!first) return fail(1, "invalid config");
    const more = rest.length === 0 ? "" : ` (and ${rest.length} more problem${rest.length === 1 ? "" : "s"})`;
    return fail(first.line, first.reason + more);
  } catch (err) {
    // yaml throws on alias bombs and the like; the file is still just invalid.
    return fail(1, err instanceof Error ? err.message : "invalid config");
  }
}

function kib(bytes: number): string {
  return (bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1);
}
