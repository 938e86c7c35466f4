import { tagKey, type Lookups, type Update } from "../plan/index.js";

/**
 * Rebuild dispatch (SPEC 5): a floating tag used unpinned whose digest moved since repin last saw
 * it sends `repository_dispatch` (`repin-base-updated`) so the repository's workflow rebuilds.
 * The first sight of a tag only records its digest (after a restart too: memory is in-process).
 */
export const DISPATCH_EVENT = "repin-base-updated";

export interface Dispatch {
  readonly key: string;
  readonly image: string;
  readonly tag: string;
  readonly digest: string;
  readonly files: readonly string[];
}

/** The dispatches due, and the digests to remember. Pure; `seen` is not modified. */
export function dueDispatches(
  updates: readonly Update[],
  lookups: Lookups,
  seen: ReadonlyMap<string, string>,
): { due: Dispatch[]; now: Map<string, string> } {
  const groups = new Map<string, Dispatch>();
  for (const u of updates) {
    if (u.currentDigest !== null || u.source === null || u.tag === null || u.action === "skip") continue;
    const resolved = lookups.tags.get(tagKey(u.source, u.tag));
    if (!resolved?.ok) continue;
    const key = tagKey(u.source, u.tag);
    const group = groups.get(key);
    if (group) groups.set(key, { ...group, files: [...new Set([...group.files, u.file])] });
    else groups.set(key, { key, image: u.image ?? key, tag: u.tag, digest: resolved.value.digest, files: [u.file] });
  }
  const now = new Map(seen);
  const due: Dispatch[] = [];
  for (const group of groups.values()) {
    const before = seen.get(group.key);
    if (before !== undefined && before !== group.digest) due.push(group);
    now.set(group.key, group.digest);
  }
  return { due, now };
}
