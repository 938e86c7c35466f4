import type { Ecosystem } from "../advisories/index.js";
import type { Inventory } from "../inventory/index.js";

/**
 * Which advisory ecosystem an image belongs to, from its package database alone (images often
 * lack /etc/os-release in a readable layer, but always carry their base layout package):
 * - apk with `chainguard-baselayout` → chainguard; with `wolfi-baselayout` → wolfi;
 *   with `alpine-baselayout`, `alpine-baselayout-data` or `alpine-release` → alpine;
 * - dpkg → debian, unless `base-files` says Ubuntu (no Ubuntu feed: null);
 * - anything else → null (no advisories are matched; the package diff is still shown).
 */
export function ecosystemOf(inventory: Inventory): Ecosystem | null {
  const names = new Set(inventory.packages.map((p) => p.name));
  if (inventory.kind === "apk") {
    if (names.has("chainguard-baselayout")) return "chainguard";
    if (names.has("wolfi-baselayout")) return "wolfi";
    if (names.has("alpine-baselayout") || names.has("alpine-baselayout-data") || names.has("alpine-release"))
      return "alpine";
    return null;
  }
  if (inventory.kind === "dpkg") {
    const baseFiles = inventory.packages.find((p) => p.name === "base-files");
    return baseFiles && /ubuntu/i.test(baseFiles.version) ? null : "debian";
  }
  return null;
}

/**
 * The distribution release feeds name ("v3.20" for Alpine from `alpine-release`; "12" for Debian from `base-files`); null for rolling distributions
 * (Wolfi, Chainguard) and when it cannot be told.
 */
export function releaseOf(inventory: Inventory, ecosystem: Ecosystem): string | null {
  const version = (name: string): string | undefined => inventory.packages.find((p) => p.name === name)?.version;
  if (ecosystem === "alpine") {
    const match = /^(\d+)\.(\d+)/.exec(version("alpine-release") ?? "");
    return match ? `v${match[1]}.${match[2]}` : null;
  }
  if (ecosystem === "debian") {
    const match = /^(\d+)/.exec(version("base-files") ?? "");
    return match ? match[1]! : null;
  }
  return null;
}
