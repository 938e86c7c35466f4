/**
 * Bounds checked by one linear scan before the `yaml` package sees a file: its parser is
 * super-linear in flow nesting (10,000 `[` cost 0.6 s; 500,000 exhaust the heap) and slow on huge
 * item counts, so a file past any bound is one `limit-exceeded` skip instead. Under these bounds a
 * 1 MiB file parses in about 1 s and 150 MB on this machine (test/extractors/yaml/limits.test.ts).
 * Aliases are never expanded (src/extractors/yaml/nodes.ts resolves one level), so an alias bomb
 * costs what its text costs.
 */
export const YAML_LIMITS = {
  /** Characters: files over 1 MiB are not read at all (SPEC 2). */
  maxLength: 1024 * 1024,
  /** Open `[` / `{` at once (outside quotes and comments). */
  maxFlowDepth: 64,
  /** Leading spaces on one line: block nesting is at most this deep. */
  maxIndent: 256,
  /** Lines plus flow separators: an upper bound on the number of nodes. */
  maxItems: 50_000,
  /** Nodes one extractor visits in one file, aliases included. */
  maxVisits: 200_000,
} as const;

/** The first bound the text breaks, as a sentence; null when it is within all of them. */
export function exceededLimit(text: string): string | null {
  if (text.length > YAML_LIMITS.maxLength) return `the file is longer than ${YAML_LIMITS.maxLength} characters`;
  let depth = 0;
  let items = 0;
  let quote = "";
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      items++;
      lineStart = true;
      indent = 0;
      if (quote === "'" || quote === '"') continue;
      quote = "";
      continue;
    }
    if (lineStart) {
      if (c === 32) {
        if (++indent > YAML_LIMITS.maxIndent) return `a line is indented more than ${YAML_LIMITS.maxIndent} spaces`;
        continue;
      }
      lineStart = false;
    }
    if (quote === "#") continue;
    if (quote !== "") {
      if (c === quote.charCodeAt(0)) quote = "";
      else if (c === 92 && quote === '"') i++;
      continue;
    }
    if (c === 35 /* # */ && (i === 0 || text.charCodeAt(i - 1) <= 32)) quote = "#";
    else if ((c === 39 || c === 34) && startsScalar(text, i)) quote = text[i]!;
    else if (c === 91 || c === 123) {
      if (++depth > YAML_LIMITS.maxFlowDepth) return `flow collections nest deeper than ${YAML_LIMITS.maxFlowDepth}`;
    } else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
    else if (c === 44) items++;
    if (items > YAML_LIMITS.maxItems) return `the file has more than ${YAML_LIMITS.maxItems} lines and items`;
  }
  return null;
}

/** A quote opens a quoted scalar only where a scalar can start (not inside a plain word like `it's`). */
function startsScalar(text: string, i: number): boolean {
  if (i === 0) return true;
  const before = text.charCodeAt(i - 1);
  // space, tab, newline, `[`, `{`, `,`, `:`, `-`, `?`
  return (
    before <= 32 || before === 91 || before === 123 || before === 44 || before === 58 || before === 45 || before === 63
  );
}
