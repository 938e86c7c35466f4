import { applyEdits } from "../dockerfile/index.js";
import type { FoundReference, TextEdit, TextRange } from "../dockerfile/types.js";
import { extractorFor, kindOf, type PathSet } from "../extractors/index.js";
import { decide } from "./decide.js";
import { reason, type Reason } from "./reasons.js";
import type { FileChange, Lookups, Plan, PlanOptions, ScannedFile, SourceFile, Update } from "./types.js";

/**
 * Where the files' paths sit in their repository, for the name rules (`.github/workflows/`, a
 * Chart.yaml beside): `dir` is the folder, relative to the repository's root, the paths are relative
 * to ("" for the root); `tree` tells which other paths (relative to the root) exist. By default the
 * paths are the repository's and the files given are all of it.
 */
export interface FilePlace {
  readonly dir: string;
  readonly tree: PathSet;
}

/**
 * Files in, references out, each file read by its kind (src/extractors/), the other files' paths
 * telling the rules that need them (a Chart.yaml beside). Extraction never throws; a file it cannot
 * read carries the reason; a file no kind reads (a Helm chart's templates/) is left out.
 */
export function scanFiles(files: readonly SourceFile[], place?: FilePlace): ScannedFile[] {
  const tree = place?.tree ?? new Set(files.map((file) => file.path));
  const dir = place?.dir ?? "";
  return files.flatMap((file) => {
    const extractor = extractorFor(dir === "" ? file.path : `${dir}/${file.path}`, tree);
    if (extractor === null) return [];
    const { references, error, errorReason } = extractor.extract(file.path, file.content);
    const why = error === null ? null : reason(errorReason ?? "unread-file", error);
    // Written out, not spread from `file`: a spread here was a tenth of the mixed-files parse in a profile.
    return [{ path: file.path, content: file.content, kind: extractor.kind, references, error: why }];
  });
}

/** Files and what the registry said in, updates and new contents out. Pure. */
export function planUpdates(files: readonly ScannedFile[], lookups: Lookups, options: PlanOptions): Plan {
  const updates: Update[] = [];
  const changes: FileChange[] = [];
  for (const file of files) {
    if (file.error !== null) {
      updates.push({ ...fileSkip(file.path, file.error), kind: file.kind });
      continue;
    }
    const decided = withoutConflicts(
      file.references.map((found) => ({ found, update: decide(found, file, lookups, options) })),
      file.content,
    );
    updates.push(...decided);
    const edits = decided.flatMap((update) => update.edits);
    if (edits.length === 0) continue;
    const after = applyEdits(file.content, edits);
    if (after !== file.content) changes.push({ path: file.path, before: file.content, after });
  }
  return { updates, changes };
}

/** Updates in file order, then line order: how people read them. */
export const byPlace = (a: Update, b: Update): number => a.file.localeCompare(b.file) || a.line - b.line;

/** One row for a whole file; its kind by name when it was not read. */
export function fileSkip(path: string, why: Reason): Update {
  return {
    file: path,
    kind: kindOf(path),
    line: 1,
    image: null,
    tag: null,
    newTag: null,
    currentDigest: null,
    newDigest: null,
    action: "skip",
    reason: why,
    source: null,
    created: null,
    platforms: [],
    edits: [],
  };
}

/**
 * Two references can share characters (one ARG default used by two FROMs). Identical edits are one edit;
 * different edits to the same characters mean the references disagree, and neither is rewritten. A
 * reference that leaves its tag or digest characters alone wants them kept: an edit by another
 * reference to those characters would change it silently (to a tag that may not exist), so that
 * edit is dropped too.
 */
function withoutConflicts(decided: { found: FoundReference; update: Update }[], content: string): Update[] {
  // Most files edit nothing (every reference current or skipped): then nothing can conflict.
  if (decided.every(({ update }) => update.edits.length === 0)) return decided.map(({ update }) => update);
  const claims = new Map<string, { range: TextRange; texts: Set<string> }>();
  for (const { found, update } of decided) {
    for (const claim of [...update.edits, ...kept(found, update, content)]) {
      const key = rangeKey(claim.range);
      const seen = claims.get(key);
      if (seen) seen.texts.add(claim.text);
      else claims.set(key, { range: claim.range, texts: new Set([claim.text]) });
    }
  }
  const conflicting = (edit: TextEdit) =>
    (claims.get(rangeKey(edit.range))?.texts.size ?? 0) > 1 || overlapsAnother(edit.range, claims.values());
  return decided.map(({ update }) =>
    update.edits.some(conflicting)
      ? {
          ...update,
          action: "skip",
          reason: reason("shares-text"),
          edits: [],
          newDigest: null,
          newTag: null,
        }
      : update,
  );
}

/** The reference's tag and digest characters that its own update does not edit, as they are now. */
function kept(found: FoundReference, update: Update, content: string): TextEdit[] {
  const ranges = [found.tagRange, found.tagTemplate?.range ?? null, found.digestRange];
  return ranges
    .filter(
      (range): range is TextRange =>
        range !== null &&
        !update.edits.some((edit) => edit.range.start === range.start && edit.range.end === range.end),
    )
    .map((range) => ({ range, text: content.slice(range.start, range.end) }));
}

const rangeKey = (range: TextRange) => `${range.start}:${range.end}`;

/** Whether another claimed range (not `range` itself) shares characters with `range`. */
function overlapsAnother(range: TextRange, claims: Iterable<{ range: TextRange }>): boolean {
  for (const { range: other } of claims) {
    if (other.start === range.start && other.end === range.end) continue;
    if (other.start < range.end && range.start < other.end) return true;
  }
  return false;
}
