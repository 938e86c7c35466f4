/**
 * Markdown for text someone else wrote: escaped so it renders as itself (pings nobody, links
 * nowhere, breaks no table), quoted as a code span, or cut to one plain line. No imports.
 */
export { DEFAULT_MAX, ZWJ, escapeMarkdown, plainLine, quoteUserText } from "./escape.js";
export type { EscapeOptions, QuoteOptions } from "./escape.js";
