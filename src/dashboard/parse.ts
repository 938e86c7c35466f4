import { DATA_PREFIX, DATA_SUFFIX, decodeDataBlock } from "./data-block.js";
import { ignoreId } from "./ignores.js";
import { decodeBranch } from "./markers.js";
import type { ParsedDashboard } from "./types.js";

const CHECKBOX = /^[-*+]\s+\[([ xX])\]\s*<!-- repin:(rescan|recreate:\S+) -->/;
const IGNORE_MARKER = /<!-- repin:ignore:([0-9a-f]{12}) -->/g;

/**
 * Reads a dashboard body back (one pass over its lines, never throws).
 *
 * Ignores: the data block is the record, and the human-readable list is how people undo one.
 * Each list line carries its ignore's id in a hidden marker; an ignore whose marker is gone
 * from the body (someone deleted its line) is dropped. A missing or corrupt block gives no
 * ignores and a `problem`; the App should then re-render from what it has.
 *
 * Checkboxes: which of repin's rescan/recreate boxes are ticked (`- [x]`). The App must still
 * check that whoever edited the issue may act (`canAct`) before doing anything.
 */
export function parseDashboard(body: string | null | undefined): ParsedDashboard {
  const text = body ?? "";
  const problems: string[] = [];
  const blocks: string[] = [];
  let rescan = false;
  const recreate = new Set<string>();

  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith(DATA_PREFIX) && line.endsWith(DATA_SUFFIX)) {
      blocks.push(line);
      continue;
    }
    const box = CHECKBOX.exec(line);
    if (box === null || box[1] === " ") continue;
    const marker = box[2] ?? "";
    if (marker === "rescan") {
      rescan = true;
      continue;
    }
    const branch = decodeBranch(marker.slice("recreate:".length));
    if (branch === null) problems.push("a ticked recreate box has an unreadable branch");
    else recreate.add(branch);
  }

  const checked = { rescan, recreate: [...recreate].sort() };
  const [first] = blocks;
  if (first === undefined) return { ignores: [], checked, problem: "no repin:data block; no ignores were read" };
  if (blocks.length > 1) problems.push(`${blocks.length} repin:data blocks; only the first was read`);

  const decoded = decodeDataBlock(first);
  problems.push(...decoded.problems);
  const listed = new Set(Array.from(text.matchAll(IGNORE_MARKER), (match) => match[1]));
  const ignores = decoded.ignores.filter((ignore) => listed.has(ignoreId(ignore)));
  return { ignores, checked, problem: problems.length === 0 ? null : problems.join("; ") };
}
