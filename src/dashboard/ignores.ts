import { createHash } from "node:crypto";
import type { Ignore } from "./types.js";

/** What a reference is when asking whether it is ignored. */
export interface IgnoreQuery {
  readonly image: string;
  readonly tag?: string | null;
  readonly digest?: string | null;
  /** The tag a tag update moves to. */
  readonly newTag?: string | null;
}

/** Which ignores to remove: every given field must match (an ignore without a tag matches any tag). */
export interface IgnoreMatch {
  readonly id?: string;
  readonly kind?: Ignore["kind"];
  readonly image?: string;
  readonly tag?: string | null;
  readonly digest?: string;
  readonly pr?: number;
}

/**
 * A short stable id from what an ignore ignores (not who or when), shown on its dashboard line
 * so that deleting the line can undo it.
 */
export function ignoreId(ignore: Pick<Ignore, "kind" | "image" | "tag" | "digest" | "newTag">): string {
  const identity = [
    ignore.kind,
    ignore.image,
    ignore.tag ?? "",
    ignore.kind === "digest" ? (ignore.digest ?? "") : "",
    // Only tag declines carry it, so the ids of every other ignore are what they were.
    ...(ignore.kind === "digest" && ignore.newTag !== undefined ? [ignore.newTag] : []),
  ].join("\n");
  return createHash("sha256").update(identity).digest("hex").slice(0, 12);
}

/** Adds an ignore unless one with the same id exists (the first one's who and when are kept). */
export function addIgnore(ignores: readonly Ignore[], ignore: Ignore): Ignore[] {
  const id = ignoreId(ignore);
  if (ignores.some((existing) => ignoreId(existing) === id)) return sortIgnores(ignores);
  return sortIgnores([...ignores, ignore]);
}

/** Removes the ignores that match; a match with no field set removes nothing (never "all"). */
export function removeIgnores(ignores: readonly Ignore[], match: IgnoreMatch): Ignore[] {
  if (Object.values(match).every((value) => value === undefined)) return sortIgnores(ignores);
  return sortIgnores(ignores.filter((ignore) => !matches(ignore, match)));
}

/**
 * An image ignore matches every digest of its image (of its tag only, when it names one); a
 * digest ignore matches that digest of that image, under any tag (the same bytes either way); a
 * tag decline (`newTag`) matches a move of that tag to that new tag, whatever its digest.
 */
export function isIgnored(ignores: readonly Ignore[], query: IgnoreQuery): boolean {
  return ignores.some((ignore) => {
    if (ignore.image !== query.image) return false;
    if (ignore.kind === "image") return ignore.tag === undefined || ignore.tag === query.tag;
    if (ignore.newTag !== undefined) return ignore.newTag === query.newTag && ignore.tag === (query.tag ?? undefined);
    return ignore.digest !== undefined && ignore.digest === query.digest;
  });
}

/**
 * One total order and one entry per id (the earliest), so the same ignores always render the
 * same bytes whatever order they came in.
 */
export function sortIgnores(ignores: readonly Ignore[]): Ignore[] {
  const key = (i: Ignore) => [
    i.image,
    i.tag ?? "",
    i.kind,
    i.digest ?? "",
    i.at,
    i.reason,
    i.by ?? "",
    String(i.pr ?? "").padStart(12, "0"),
  ];
  const sorted = [...ignores].sort((a, b) => compareTuples(key(a), key(b)));
  const seen = new Set<string>();
  return sorted.filter((ignore) => {
    const id = ignoreId(ignore);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function matches(ignore: Ignore, match: IgnoreMatch): boolean {
  if (match.id !== undefined && ignoreId(ignore) !== match.id) return false;
  if (match.kind !== undefined && ignore.kind !== match.kind) return false;
  if (match.image !== undefined && ignore.image !== match.image) return false;
  if (match.tag !== undefined && match.tag !== null && ignore.tag !== undefined && ignore.tag !== match.tag)
    return false;
  if (match.digest !== undefined && ignore.digest !== match.digest) return false;
  if (match.pr !== undefined && ignore.pr !== match.pr) return false;
  return true;
}

export function compareTuples(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? "";
    const y = b[i] ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
