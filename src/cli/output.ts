import type { TextEdit } from "../dockerfile/types.js";
import { describeReason, type Update } from "../plan/index.js";
import { stripControls } from "../registry/index.js";

/** File contents by path, for turning an update's edits into lines and characters. */
export type Contents = ReadonlyMap<string, string>;

/** SPEC 4's `edits`: the line each edit starts on, the characters it replaces and their replacement. */
export function editRows(update: Update, contents: Contents): { line: number; old: string; new: string }[] {
  const content = contents.get(update.file) ?? "";
  return update.edits.map((edit: TextEdit) => ({
    line: lineAt(content, edit.range.start),
    old: content.slice(edit.range.start, edit.range.end),
    new: edit.text,
  }));
}

function lineAt(content: string, offset: number): number {
  let line = 1;
  for (let i = content.indexOf("\n"); i !== -1 && i < offset; i = content.indexOf("\n", i + 1)) line++;
  return line;
}

/** SPEC 4's JSON row: exactly these keys, in this order; `kind` from SPEC 2a. */
export function toJsonRow(update: Update, contents: Contents) {
  const { file, kind, line, image, tag, newTag, currentDigest, newDigest, action } = update;
  const reason = update.reason === null ? null : describeReason(update.reason);
  const code = update.reason?.code ?? null;
  return {
    file,
    kind,
    line,
    image,
    tag,
    newTag,
    currentDigest,
    newDigest,
    action,
    reason,
    code,
    edits: editRows(update, contents),
  };
}

/**
 * JSON.stringify escapes C0 controls; C1 controls and bidirectional overrides are escaped too,
 * so the same values reach a terminal as inert text.
 */
export function formatJson(updates: readonly Update[], contents: Contents): string {
  const rows = updates.map((update) => toJsonRow(update, contents));
  return JSON.stringify({ updates: rows }, null, 2).replace(
    /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Colours for a terminal; `plain` leaves text as it is. */
export interface Paint {
  action(action: Update["action"], text: string): string;
  strong(text: string): string;
}

export const plain: Paint = { action: (_action, text) => text, strong: (text) => text };

const ansi = (code: number) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
const actionColours: Record<Update["action"], (text: string) => string> = {
  bump: ansi(32),
  pin: ansi(32),
  none: ansi(2),
  skip: ansi(33),
};
export const colours: Paint = { action: (action, text) => actionColours[action](text), strong: ansi(1) };

const short = (digest: string | null) => (digest ? digest.slice(0, 19) : "-");

/** One line per reference: where, what, what repin does with it, and every line its edit touches. */
export function formatHuman(updates: readonly Update[], contents: Contents, paint: Paint = plain): string {
  if (updates.length === 0) return "no image references found";
  return [...updates.map((update) => describe(update, contents, paint)), paint.strong(summary(updates))].join("\n");
}

function describe(update: Update, contents: Contents, paint: Paint): string {
  const where = `${update.file}:${update.line}`;
  const image = update.image ?? "(file)";
  const change = update.action === "bump" || update.action === "pin" ? `  ${changeText(update)}` : "";
  const reason = update.reason ? `  (${describeReason(update.reason)})` : "";
  const lines = [...new Set(editRows(update, contents).map((edit) => edit.line))];
  // An edit elsewhere (an ARG default) is named, so nothing apply changes comes as a surprise.
  const elsewhere = lines.some((line) => line !== update.line) ? `  [edits line ${lines.join(", ")}]` : "";
  // One line for a terminal: what a file or a registry put in a field carries no escape sequence.
  const text = (value: string) => stripControls(value);
  return `${text(`${where}  ${image}`)}  ${paint.action(update.action, update.action)}${text(`${change}${reason}${elsewhere}`)}`;
}

function changeText(update: Update): string {
  const tag = update.newTag ? `tag ${update.tag} → ${update.newTag}` : "";
  const digest = update.newDigest ? `${short(update.currentDigest)} → ${short(update.newDigest)}` : "";
  return [tag, digest].filter(Boolean).join(", ");
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `12 references in 7 files: 3 bump, 1 pin, 7 current, 1 skipped` (and files that were not read). */
export function summary(updates: readonly Update[]): string {
  const references = updates.filter((update) => update.image !== null);
  const count = (action: Update["action"]) => references.filter((update) => update.action === action).length;
  const files = new Set(references.map((update) => update.file)).size;
  const unread = updates.length - references.length;
  const counts = `${count("bump")} bump, ${count("pin")} pin, ${count("none")} current, ${count("skip")} skipped`;
  const head = `${plural(references.length, "reference")} in ${plural(files, "file")}: ${counts}`;
  return unread === 0 ? head : `${head}; ${plural(unread, "file")} not read`;
}

/** What apply changed: each updated reference with the lines it edited, then the summary. */
export function formatApplied(updates: readonly Update[], contents: Contents, paint: Paint = plain): string {
  const applied = updates.filter((update) => update.edits.length > 0);
  const lines = applied.map((update) => `updated ${describe(update, contents, paint)}`);
  return [...(lines.length === 0 ? ["nothing to change"] : lines), paint.strong(summary(updates))].join("\n");
}
