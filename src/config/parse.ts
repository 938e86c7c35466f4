import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { z } from "zod";
import { RepinConfigSchema, type RepinConfig } from "./schema.js";

export const DEFAULT_CONFIG_FILE = ".github/repin.yml";

export interface ConfigError {
  readonly file: string;
  /** 1-based line of the offending key or value. */
  readonly line: number;
  readonly reason: string;
}

export type ConfigParseResult =
  { readonly ok: true; readonly config: RepinConfig } | { readonly ok: false; readonly error: ConfigError };

type Path = readonly PropertyKey[];

/** The start offset of the YAML node at `path`: the value when it has one, else its key, else the nearest parent. */
function offsetOf(root: Node | null, path: Path, unknownKey?: string): number {
  let node: unknown = root;
  let offset = root?.range?.[0] ?? 0;
  const steps = unknownKey === undefined ? path : [...path, unknownKey];
  for (const [i, step] of steps.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === step);
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
 * file (or one with only comments) is the default config.
 */
export function parseRepinConfig(text: string, file: string = DEFAULT_CONFIG_FILE): ConfigParseResult {
  const fail = (line: number, reason: string): ConfigParseResult => ({ ok: false, error: { file, line, reason } });
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
    const yamlError = doc.errors[0];
    if (yamlError) return fail(yamlError.linePos?.[0].line ?? 1, yamlMessage(yamlError.message));
    const value: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
    const root = doc.contents as Node | null;
    const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
    if (typeof value !== "object" || Array.isArray(value))
      return fail(lineAt(root?.range?.[0] ?? 0), "the config must be a mapping of keys to values");

    const parsed = RepinConfigSchema.safeParse(value);
    if (parsed.success) return { ok: true, config: parsed.data };
    const located = parsed.error.issues.flatMap((issue) => {
      const unknown = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
      return unknown.map((key) => ({
        line: lineAt(offsetOf(root, issue.path, key)),
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
