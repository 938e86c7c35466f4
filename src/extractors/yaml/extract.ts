import type { ExtractionResult, FoundReference } from "../../dockerfile/types.js";
import { lineStarts } from "../../dockerfile/source-text.js";
import { newBudget, VisitLimitError, type YamlContext } from "./nodes.js";
import { parseYaml } from "./parse.js";

/** What a YAML kind reads from one document; it may throw VisitLimitError (via the readers). */
export type DocumentReader = (ctx: YamlContext) => FoundReference[];

/**
 * The frame every YAML kind shares: parse under the bounds, read each document, and turn a failure
 * into one file-level reason. Never throws.
 */
export function extractYaml(content: string, read: DocumentReader): ExtractionResult {
  if (content.includes("\u0000")) return { references: [], error: "not a text file (contains NUL bytes)" };
  const parsed = parseYaml(content);
  if (!parsed.ok) return { references: [], error: parsed.detail, errorReason: parsed.reason };
  const starts = lineStarts(content);
  const budget = newBudget();
  const references: FoundReference[] = [];
  try {
    for (const document of parsed.documents) {
      references.push(...read({ text: content, lineStarts: starts, document, budget }));
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof VisitLimitError)
      return { references: [], error: `not read as YAML: ${message}`, errorReason: "limit-exceeded" };
    return { references: [], error: `could not read as YAML: ${message}` };
  }
  return { references, error: null };
}
