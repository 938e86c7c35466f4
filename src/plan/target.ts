import type { FoundReference } from "../dockerfile/types.js";
import type { ImageReference } from "../reference/types.js";
import type { RepositoryName } from "../registry/types.js";
import { parseVersionTag, pickNewerTag } from "../versioning/index.js";
import { DEFAULT_TAG, repositoryKey } from "./keys.js";
import type { Lookups, PlanOptions } from "./types.js";

/** A reference that repin can follow: parsed, not skipped by extraction, not ignored by config. */
export interface Followable {
  readonly found: FoundReference;
  readonly ref: ImageReference;
  readonly name: RepositoryName;
}

export function followable(found: FoundReference, options: PlanOptions): Followable | null {
  if (found.skip || !found.ref || options.isIgnored(found.ref)) return null;
  if (found.ref.tag === null) return null;
  return { found, ref: found.ref, name: options.resolutionName(found.ref) };
}

/** Whether the tag list of this reference's repository is worth fetching under the policy. */
export function wantsTagList(item: Followable, options: PlanOptions): boolean {
  return options.updateTags !== "none" && item.ref.tag !== null && parseVersionTag(item.ref.tag) !== null;
}

export interface Target {
  /** The tag whose digest is resolved: the newer tag when one is taken, else the written tag. */
  readonly tag: string;
  readonly newTag: string | null;
  /** Why a newer tag was not taken, when that is worth telling. */
  readonly note: string | null;
}

/** Which tag to follow, from the registry's tag list and the `updateTags` policy. */
export function targetOf(item: Followable, lookups: Pick<Lookups, "tagLists">, options: PlanOptions): Target {
  const tag = item.ref.tag ?? DEFAULT_TAG;
  if (!wantsTagList(item, options)) return { tag, newTag: null, note: null };
  const list = lookups.tagLists.get(repositoryKey(item.name));
  if (!list) return { tag, newTag: null, note: null };
  if (!list.ok) return { tag, newTag: null, note: `tag update skipped: ${list.reason}` };
  const newer = pickNewerTag(tag, list.value, options.updateTags);
  if (newer === null) return { tag, newTag: null, note: null };
  if (item.found.tagRange === null) {
    return { tag, newTag: null, note: `newer tag ${newer} exists, but the tag is not written in one place repin can rewrite` };
  }
  return { tag: newer, newTag: newer, note: null };
}
