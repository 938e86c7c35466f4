import type { FoundReference, TextEdit } from "../dockerfile/types.js";
import { readsAsString } from "../extractors/index.js";
import type { ImageReference, RepositoryName } from "../reference/types.js";
import { canTagMove, pickNewerTag } from "../versioning/index.js";
import { DEFAULT_TAG, repositoryKey } from "./keys.js";
import { reason, type Reason } from "./reasons.js";
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

/** Whether the tag list of this reference's repository is worth fetching: only when the tag can move under the policy. */
export function wantsTagList(item: Followable, options: PlanOptions): boolean {
  return item.ref.tag !== null && canTagMove(item.ref.tag, options.updateTags);
}

export interface Target {
  /** The tag whose digest is resolved: the newer tag when one is taken, else the written tag. */
  readonly tag: string;
  readonly newTag: string | null;
  /** Why a newer tag was not taken, when that is worth telling. */
  readonly note: Reason | null;
}

/** Which tag to follow, from the registry's tag list and the `updateTags` policy. */
export function targetOf(item: Followable, lookups: Pick<Lookups, "tagLists">, options: PlanOptions): Target {
  const tag = item.ref.tag ?? DEFAULT_TAG;
  if (!wantsTagList(item, options)) return { tag, newTag: null, note: null };
  const list = lookups.tagLists.get(repositoryKey(item.name));
  if (!list) return { tag, newTag: null, note: null };
  if (!list.ok) return { tag, newTag: null, note: reason("tag-list-failed", "", list.failure) };
  const newer = pickNewerTag(tag, list.value, options.updateTags);
  if (newer === null) return { tag, newTag: null, note: null };
  if (tagEdit(item.found, newer) === null) {
    return {
      tag,
      newTag: null,
      note: reason("tag-not-rewritable", newer),
    };
  }
  return { tag: newer, newTag: newer, note: null };
}

/**
 * The edit that writes `newTag` for this reference, or null when repin cannot write it: the whole tag
 * in one place (tagRange), or the ARG default inside a tag like `${V}-slim`, when the new tag keeps
 * the literal text around it.
 */
export function tagEdit(found: FoundReference, newTag: string): TextEdit | null {
  if (found.tagRange) {
    const quoted = found.tagIsPlainYaml === true && !readsAsString(newTag);
    return { range: found.tagRange, text: quoted ? `"${newTag}"` : newTag };
  }
  const template = found.tagTemplate;
  if (!template) return null;
  const { before, after } = template;
  if (newTag.length <= before.length + after.length || !newTag.startsWith(before) || !newTag.endsWith(after))
    return null;
  return { range: template.range, text: newTag.slice(before.length, newTag.length - after.length) };
}
