import {
  manifestRequests,
  tagListRequests,
  tagRequests,
  type Lookup,
  type Lookups,
  type PlanOptions,
  type ScannedFile,
} from "../../src/plan/index.js";
import type { Manifest, TagDigest } from "../../src/registry/types.js";

/** A pretend registry for pure plan tests: what each tag points to, its tag list, each manifest. */
export interface FakeRegistry {
  /** The digest a tag points to now, by "<repositoryKey>:<tag>". */
  readonly digestOf: (tagKey: string) => string;
  readonly tagsOf: (repositoryKey: string) => readonly string[];
  /** The manifest of a digest; default: a linux/amd64 image. */
  readonly manifestOf?: (manifestKey: string, digest: string) => Manifest;
}

const ok = <T>(value: T): Lookup<T> => ({ ok: true, value });

export const amd64Image = (digest: string): Manifest => ({
  kind: "image",
  digest,
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  configDigest: `sha256:${"c".repeat(64)}`,
  layers: [],
  platform: { os: "linux", architecture: "amd64" },
  created: "2026-11-20T10:00:00Z",
});

/** The lookups the three request rounds ask for, answered by `registry`. */
export function fakeLookups(files: readonly ScannedFile[], options: PlanOptions, registry: FakeRegistry): Lookups {
  const tagLists = new Map(tagListRequests(files, options).map((r) => [r.key, ok(registry.tagsOf(r.key))]));
  const tags = new Map(
    tagRequests(files, { tagLists }, options).map((r) => [
      r.key,
      ok<TagDigest>({ digest: registry.digestOf(r.key), mediaType: "application/vnd.oci.image.manifest.v1+json" }),
    ]),
  );
  const manifests = new Map(
    manifestRequests(files, { tagLists, tags }, options).map((r) => [
      r.key,
      ok((registry.manifestOf ?? ((_key, digest) => amd64Image(digest)))(r.key, r.digest)),
    ]),
  );
  return { tagLists, tags, manifests };
}

export const planOptions = (overrides: Partial<PlanOptions> = {}): PlanOptions => ({
  pin: false,
  platforms: [],
  updateTags: "none",
  resolutionName: (ref) => ({ registry: ref.registry, repository: ref.repository }),
  isIgnored: () => false,
  ...overrides,
});
