import { DEFAULT_TAG, tagKey, type Lookups, type Update } from "../plan/index.js";
import type { TagUse } from "../store/index.js";

/**
 * What a scan records in the reverse index (SPEC 11): every file's tagged reference (a reference
 * with neither tag nor digest follows `latest`), with the digest the scan resolved the tag to and
 * the one the file pins (advisory news rescans only the files pinned behind the tag).
 * References pinned by digest alone follow no tag and are not watched.
 */
export function tagUses(updates: readonly Update[], lookups: Lookups): TagUse[] {
  const uses: TagUse[] = [];
  for (const u of updates) {
    if (u.source === null || u.image === null) continue;
    const tag = u.tag ?? (u.currentDigest === null ? DEFAULT_TAG : null);
    if (tag === null) continue;
    const resolved = lookups.tags.get(tagKey(u.source, tag));
    uses.push({
      registry: u.source.registry,
      repository: u.source.repository,
      tag,
      path: u.file,
      digest: resolved?.ok ? resolved.value.digest : null,
      pinned: u.currentDigest,
    });
  }
  return uses;
}
