import { formatPlatform } from "../reference/index.js";
import type { Platform } from "../reference/types.js";
import type { IndexChild } from "../registry/types.js";

/** Attestation manifests in buildx indexes carry "unknown/unknown": they are not platforms anyone runs. */
export function isRunnablePlatform(platform: Platform | null): platform is Platform {
  return platform !== null && platform.os !== "unknown" && platform.architecture !== "unknown";
}

/** Same os and architecture; a variant only matters when both sides name one (arm64 images often omit v8). */
export function samePlatform(a: Platform, b: Platform): boolean {
  if (a.os !== b.os || a.architecture !== b.architecture) return false;
  return a.variant === undefined || b.variant === undefined || a.variant === b.variant;
}

export function childFor(children: readonly IndexChild[], platform: Platform): IndexChild | undefined {
  const exact = children.find((child) => child.platform && formatPlatform(child.platform) === formatPlatform(platform));
  return (
    exact ?? children.find((child) => isRunnablePlatform(child.platform) && samePlatform(child.platform, platform))
  );
}
