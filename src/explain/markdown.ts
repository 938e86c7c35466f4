/**
 * Text from images and feeds (package names, versions, advisory ids) is untrusted: it must not
 * open a link, mention a user, break a table or start HTML. Local on purpose: this folder
 * needs only table cells and inline text.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]|#!~]/g, (c) => `\\${c}`)
    .replace(/@/g, "@\u200b");
}

/** A link whose text is escaped and whose target is kept only when it is plain https. */
export function safeLink(text: string, url: string): string {
  const label = escapeMarkdown(text);
  return /^https:\/\/[^\s()<>]+$/.test(url) ? `[${label}](${url})` : label;
}
