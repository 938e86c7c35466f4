/**
 * The BuildKit frontend a Dockerfile asks for: `# syntax=docker/dockerfile:1.7` (SPEC 2a), read the way
 * BuildKit's DetectSyntax does (frontend/dockerfile/parser/directives.go): after a BOM and an optional
 * `#!` line, parser directives are the leading `# name=value` lines, and the first line that is not
 * one (or names no known directive) ends them. The image is the value up to its first space.
 */
import type { FoundReference } from "../../dockerfile/types.js";
import { literalReference } from "../literal.js";

/** BuildKit's directive line after the `#` and leading spaces: `name = value` (Go's `\s` is ASCII). */
const DIRECTIVE = /^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$/;
const KNOWN_DIRECTIVES: ReadonlySet<string> = new Set(["syntax", "escape", "check"]);

/** The `# syntax=` reference, or null when the file names no frontend. */
export function syntaxReference(content: string): FoundReference | null {
  let at = content.startsWith("\uFEFF") ? 1 : 0;
  let line = 1;
  if (content.startsWith("#!", at)) {
    const end = content.indexOf("\n", at);
    if (end === -1) return null;
    at = end + 1;
    line++;
  }
  for (; at <= content.length; line++) {
    const newline = content.indexOf("\n", at);
    const end = newline === -1 ? content.length : newline;
    // bufio.ScanLines drops one `\r` before the newline.
    const text = content.slice(at, end > at && content[end - 1] === "\r" ? end - 1 : end);
    if (!text.startsWith("#")) return null;
    // Go's unicode.IsSpace, which (unlike JavaScript's \s) does not take a BOM for a space.
    const body = text.slice(1).replace(/^[^\S\uFEFF]+/, "");
    const m = DIRECTIVE.exec(body);
    if (!m || !KNOWN_DIRECTIVES.has(m[1]!.toLowerCase())) return null;
    if (m[1]!.toLowerCase() === "syntax") {
      const value = m[2]!;
      // The value is the match's last run of its text: only blanks follow it.
      const valueAt = at + (text.length - body.length) + m[0].lastIndexOf(value);
      return literalReference({ value: value.split(" ")[0]!, start: valueAt, line });
    }
    if (newline === -1) return null;
    at = newline + 1;
  }
  return null;
}
