import { describeReason, type FileChange, type Update } from "../plan/index.js";
import { stripControls } from "../registry/index.js";

/** SPEC 4's JSON row: exactly these keys, in this order; `kind` from SPEC 2a. */
export function toJsonRow(update: Update) {
  const { file, kind, line, image, tag, newTag, currentDigest, newDigest, action } = update;
  const reason = update.reason === null ? null : describeReason(update.reason);
  return { file, kind, line, image, tag, newTag, currentDigest, newDigest, action, reason };
}

/**
 * JSON.stringify escapes C0 controls; C1 controls and bidirectional overrides are escaped too,
 * so the same values reach a terminal as inert text.
 */
export function formatJson(updates: readonly Update[]): string {
  return JSON.stringify({ updates: updates.map(toJsonRow) }, null, 2).replace(
    /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

const short = (digest: string | null) => (digest ? digest.slice(0, 19) : "-");

/** One line per reference: where, what, and what repin does with it. */
export function formatHuman(updates: readonly Update[]): string {
  if (updates.length === 0) return "no image references found";
  return updates.map(describe).join("\n");
}

function describe(update: Update): string {
  const where = `${update.file}:${update.line}`;
  const image = update.image ?? "(file)";
  const change = update.action === "bump" || update.action === "pin" ? `  ${changeText(update)}` : "";
  const reason = update.reason ? `  (${describeReason(update.reason)})` : "";
  // One line for a terminal: what a file or a registry put in a field carries no escape sequence.
  return stripControls(`${where}  ${image}  ${update.action}${change}${reason}`);
}

function changeText(update: Update): string {
  const tag = update.newTag ? `tag ${update.tag} → ${update.newTag}` : "";
  const digest = update.newDigest ? `${short(update.currentDigest)} → ${short(update.newDigest)}` : "";
  return [tag, digest].filter(Boolean).join(", ");
}

export function formatApplied(changes: readonly FileChange[], updates: readonly Update[]): string {
  if (changes.length === 0) return "nothing to change";
  const changed = new Set(changes.map((change) => change.path));
  return updates
    .filter((update) => changed.has(update.file) && update.edits.length > 0)
    .map((update) => `updated ${describe(update)}`)
    .join("\n");
}
