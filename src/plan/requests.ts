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

/** How many references follow each tag the run resolves (by tagKey): progress counts references, as people see them. */
export function referencesPerTag(
  files: readonly ScannedFile[],
  lookups: Pick<Lookups, "tagLists">,
  options: PlanOptions,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of followables(files, options)) {
    const key = tagKey(item.name, targetOf(item, lookups, options).tag);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
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

/**
 * Config blobs the decisions need, for a client that does not read them with every manifest: the
 * platform of a pinned image whose tag now serves an index it is not a child of (which child to
 * follow), and the platform of a tag's new single image when the pin was an index or the file fixes
 * a platform (it must still serve those). A single image that moved to a single image is followed
 * without either unless the file fixes a platform (the frugality budget of SPEC 9: a tag that served
 * one image rarely switches platforms, and the fixed platform guards those who care). An index
 * carries its children's platforms, so its config blobs are never asked. Asked after the manifests,
 * from what they turned out to be.
 */
export function configRequests(
  files: readonly ScannedFile[],
  lookups: Lookups,
  options: PlanOptions,
): ManifestRequest[] {
  const unique = new Map<string, ManifestRequest>();
  for (const item of followables(files, options)) {
    const current = item.ref.digest;
    const target = targetOf(item, lookups, options);
    const resolved = lookups.tags.get(tagKey(item.name, target.tag));
    if (current === null || !resolved?.ok) continue;
    const manifest = (digest: string) => {
      const found = lookups.manifests.get(manifestKey(item.name, digest));
      return found?.ok ? found.value : null;
    };
    const ask = (digest: string) =>
      unique.set(manifestKey(item.name, digest), { key: manifestKey(item.name, digest), name: item.name, digest });
    const fresh = manifest(resolved.value.digest);
    const old = manifest(current);
    if (fresh?.kind === "index" && old?.kind === "image" && old.platform === null) {
      if (!fresh.children.some((child) => child.digest === current)) ask(current);
    }
    if (fresh?.kind === "image" && fresh.platform === null && (item.found.platform || old?.kind === "index"))
      ask(fresh.digest);
  }
  return [...unique.values()];
}
