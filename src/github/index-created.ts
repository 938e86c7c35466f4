import { childFor, parsePlatform } from "../plan/index.js";
import type { Manifest, Registry } from "../registry/index.js";

/**
 * A registry view for the PR body (SPEC 5): an index without an `org.opencontainers.image.created`
 * annotation (most multi-platform images) takes its creation time from the config of the platform
 * the repository builds. That is one more manifest (and its config blob) per new index, read through
 * the registry the cycle already memoizes by digest; a child that cannot be read leaves the time
 * unknown and never fails the index.
 */
export function withIndexCreated(registry: Registry, platform: string): Registry {
  const built = parsePlatform(platform);
  return {
    ...registry,
    resolveTag: registry.resolveTag.bind(registry),
    listTags: registry.listTags.bind(registry),
    async getManifest(repo, digest) {
      const manifest = await registry.getManifest(repo, digest);
      if (manifest.kind !== "index" || manifest.created !== null || built === null) return manifest;
      const child = childFor(manifest.children, built);
      if (!child) return manifest;
      const created = await registry.getManifest(repo, child.digest).then(
        (image): Manifest["created"] => image.created,
        () => null,
      );
      return created === null ? manifest : { ...manifest, created };
    },
  };
}
