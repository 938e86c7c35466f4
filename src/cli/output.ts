import { describeReason, type FileChange, type Update } from "../plan/index.js";

/** SPEC 4's JSON row: exactly these keys, in this order. */
export function toJsonRow(update: Update) {
  const { file, line, image, tag, newTag, currentDigest, newDigest, action } = update;
  const reason = update.reason === null ? null : describeReason(update.reason);
  return { file, line, image, tag, newTag, currentDigest, newDigest, action, reason };
}

export function formatJson(updates: readonly Update[]): string {
  return JSON.stringify({ updates: updates.map(toJsonRow) }, null, 2);
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
  return `${where}  ${image}  ${update.action}${change}${reason}`;
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
