import { manifestKey, repositoryKey, tagKey } from "./keys.js";
import { followable, targetOf, wantsTagList, type Followable } from "./target.js";
import type { Lookups, PlanOptions, ScannedFile } from "./types.js";
import type { RepositoryName } from "../reference/types.js";

/**
 * The questions a plan needs answered, in the three rounds the registry must be asked them:
 * tag lists, then tag digests (of the tag each reference will follow), then manifests of changed digests.
 * Each is unique by key, so every repository, tag and digest is asked about once per run.
 */
export interface TagListRequest {
  readonly key: string;
  readonly name: RepositoryName;
}
export interface TagRequest extends TagListRequest {
  readonly tag: string;
}
export interface ManifestRequest {
  readonly key: string;
  readonly name: RepositoryName;
  readonly digest: string;
}

function followables(files: readonly ScannedFile[], options: PlanOptions): Followable[] {
  return files.flatMap((file) =>
    file.references.map((found) => followable(found, options)).filter((item): item is Followable => item !== null),
  );
}

export function tagListRequests(files: readonly ScannedFile[], options: PlanOptions): TagListRequest[] {
  const unique = new Map<string, TagListRequest>();
  for (const item of followables(files, options)) {
    if (wantsTagList(item, options))
      unique.set(repositoryKey(item.name), { key: repositoryKey(item.name), name: item.name });
  }
  return [...unique.values()];
}

export function tagRequests(
  files: readonly ScannedFile[],
  lookups: Pick<Lookups, "tagLists">,
  options: PlanOptions,
): TagRequest[] {
  const unique = new Map<string, TagRequest>();
  for (const item of followables(files, options)) {
    const { tag } = targetOf(item, lookups, options);
    unique.set(tagKey(item.name, tag), { key: tagKey(item.name, tag), name: item.name, tag });
  }
  return [...unique.values()];
}

/** Manifests are read only where a digest moved: the new one (what to pin, platforms) and the pinned one (index or platform). */
export function manifestRequests(
  files: readonly ScannedFile[],
  lookups: Omit<Lookups, "manifests">,
  options: PlanOptions,
): ManifestRequest[] {
  const unique = new Map<string, ManifestRequest>();
  for (const item of followables(files, options)) {
    const target = targetOf(item, lookups, options);
    const resolved = lookups.tags.get(tagKey(item.name, target.tag));
    if (!resolved?.ok) continue;
    const ask = (digest: string) =>
      unique.set(manifestKey(item.name, digest), { key: manifestKey(item.name, digest), name: item.name, digest });
    const top = resolved.value.digest;
    const current = item.ref.digest;
    if (current === null) {
      if (options.pin) ask(top);
      continue;
    }
    if (current === top && target.newTag === null) continue;
    ask(top);
    ask(current);
  }
  return [...unique.values()];
}
