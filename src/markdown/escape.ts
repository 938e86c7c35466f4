/**
 * Text that someone else wrote (a comment, a Dockerfile, a file path, a registry's error, a package
 * name from an image or a feed) is data. Before it is echoed into a comment, issue or PR body it
 * goes through one of these helpers,
 * so it can ping nobody, link nowhere, render no HTML, break no table and forge none of repin's
 * hidden `<!-- repin:… -->` markers (the output never contains `<!--`, `-->` or a newline).
 */

/** Joins nothing visibly, but breaks `@name`, `#123`, `https://` and `--` for GitHub's filters. */
export const ZWJ = "\u200D";

export const DEFAULT_MAX = 256;

/** Characters that mean something to CommonMark/GFM inline or at the start of a line. */
const BACKSLASHED = new Set("\\`*_{}[]()#+-.!|~=:".split(""));
const ENTITIES: Readonly<Record<string, string>> = { "<": "&lt;", ">": "&gt;", "&": "&amp;" };

/**
 * One line of plain text at most `max` code points long: control, bidi-override and zero-width
 * characters dropped (they hide what the text says), whitespace runs collapsed, an ellipsis
 * where it was cut. Linear; reads at most a few times `max` characters of a huge input.
 */
export function plainLine(text: string, max = DEFAULT_MAX): string {
  const limit = Math.max(1, Math.floor(max));
  const kept: string[] = [];
  let pendingSpace = false;
  // The output is bounded, so look at a bounded prefix: a 1 MB string costs little.
  const cap = limit * 4 + 16;
  const scan = text.length > cap ? text.slice(0, cap) : text;
  for (const ch of scan) {
    const code = ch.codePointAt(0) ?? 0;
    if (isSpace(code)) {
      pendingSpace = kept.length > 0;
      continue;
    }
    if (isInvisible(code)) continue;
    if (pendingSpace) kept.push(" ");
    pendingSpace = false;
    kept.push(ch);
    if (kept.length > limit) break;
  }
  const cut = kept.length > limit || scan.length < text.length;
  if (!cut) return kept.join("");
  return `${kept
    .slice(0, limit - 1)
    .join("")
    .trimEnd()}…`;
}

export interface EscapeOptions {
  /** Longest output in code points, cut with an ellipsis: DEFAULT_MAX, or no cut in `tableCell` mode. */
  readonly max?: number;
  /**
   * The text goes inside a table cell or after other text on its line (a list item's words, a
   * quote): it cannot start a block, so only inline syntax is escaped (code, emphasis, links,
   * images, pipes, HTML, mentions, references) and versions such as `3.1.4-r5` stay readable in
   * the raw body. The explanation's tables and lists use it.
   */
  readonly tableCell?: boolean;
}

/** Escaped inline syntax in table-cell mode. */
const CELL_BACKSLASHED = new Set("\\`*_[]|#!~".split(""));
/** Zero-width space: breaks `@name` in table-cell mode. */
const ZWSP = "\u200B";

/**
 * Inline markdown that renders as the literal text: every markdown-significant ASCII character
 * backslash-escaped, `<`, `>` and `&` as entities, and a zero-width joiner after `@` and `#`
 * and inside `://` and `www.` so GitHub makes no mention, reference or autolink. Safe in table
 * cells (pipes are escaped) and in list items. `tableCell` escapes less: see EscapeOptions.
 */
export function escapeMarkdown(text: string, options: EscapeOptions = {}): string {
  if (options.tableCell) return escapeCell(plainLine(text, options.max ?? Infinity));
  const line = plainLine(text, options.max ?? DEFAULT_MAX);
  let out = "";
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    const entity = ENTITIES[ch];
    if (entity !== undefined) {
      out += entity;
    } else if (ch === "@") {
      out += `@${ZWJ}`;
    } else if (ch === "#") {
      out += `\\#${ZWJ}`;
    } else if (ch === ":" && line.startsWith("//", i + 1)) {
      out += `\\:${ZWJ}`;
    } else if (ch === "." && i >= 3 && line.slice(i - 3, i).toLowerCase() === "www") {
      out += `${ZWJ}\\.`;
    } else if (BACKSLASHED.has(ch)) {
      out += `\\${ch}`;
    } else {
      out += ch;
    }
  }
  return out;
}

function escapeCell(line: string): string {
  let out = "";
  for (const ch of line) {
    const entity = ENTITIES[ch];
    if (entity !== undefined) out += entity;
    else if (ch === "@") out += `@${ZWSP}`;
    else if (CELL_BACKSLASHED.has(ch)) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

export interface QuoteOptions {
  /** The span goes into a GFM table cell: escape `|` so it cannot end the cell. */
  readonly inTable?: boolean;
}

/**
 * The text as an inline code span: shown exactly (GitHub renders no mention, link or HTML inside
 * code), on one line, at most `max` code points, with a fence longer than any backtick run in
 * it. `--` gets a zero-width joiner so no `<!--`/`-->` appears in the raw body.
 */
export function quoteUserText(text: string, max = DEFAULT_MAX, options: QuoteOptions = {}): string {
  const line = plainLine(text, max);
  if (line === "") return "*(empty)*";
  let body = "";
  let run = 0;
  let longestRun = 0;
  for (const ch of line) {
    run = ch === "`" ? run + 1 : 0;
    longestRun = Math.max(longestRun, run);
    const previous = body.at(-1);
    if (ch === "-" && previous === "-") {
      body += `${ZWJ}-`;
    } else if (ch === "|" && options.inTable) {
      // GFM splits cells before reading code spans; `\|` is its escape, and a `\` just before it
      // would pair with our backslash instead, so keep the two apart.
      body += previous === "\\" ? `${ZWJ}\\|` : "\\|";
    } else {
      body += ch;
    }
  }
  const fence = "`".repeat(longestRun + 1);
  const pad = body.startsWith("`") || body.endsWith("`") ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

function isSpace(code: number): boolean {
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x2028 ||
    code === 0x2029
  );
}

/** C0/C1 controls, zero-width and bidi-control characters, lone surrogates. */
function isInvisible(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    (code >= 0xd800 && code <= 0xdfff) ||
    code === 0xfeff
  );
}
