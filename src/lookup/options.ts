import { applyRegistryMap, matchesImagePattern, type RepinConfig } from "../config/index.js";
import type { PlanOptions } from "../plan/index.js";
import type { ImageReference } from "../reference/types.js";
import type { UpdateTagsPolicy } from "../versioning/types.js";

export interface OptionOverrides {
  readonly pin?: boolean | undefined;
  readonly updateTags?: UpdateTagsPolicy | undefined;
}

/** The plan's options from a repository's config, with command-line flags taking precedence. */
export function planOptionsFrom(config: RepinConfig, overrides: OptionOverrides = {}): PlanOptions {
  return {
    pin: overrides.pin ?? config.pin,
    platforms: config.platforms,
    updateTags: overrides.updateTags ?? config.updateTags,
    resolutionName: (ref: ImageReference) =>
      applyRegistryMap({ registry: ref.registry, repository: ref.repository }, config.registryMap),
    isIgnored: (ref: ImageReference) =>
      config.ignore.some((pattern) => matchesImagePattern(pattern, ref.registry, ref.repository, ref.tag)),
  };
}
