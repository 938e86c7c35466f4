import type { CompareVersions } from "./versions/index.js";
import type { InstalledPackage } from "./types.js";

export interface VersionChange {
  readonly name: string;
  readonly arch?: string;
  readonly from: string;
  readonly to: string;
}

export interface PackageDiff {
  readonly added: InstalledPackage[];
  readonly removed: InstalledPackage[];
  readonly upgraded: VersionChange[];
  readonly downgraded: VersionChange[];
}

// dpkg may hold one package for several architectures (Multi-Arch: same); only then the arch is part of the key.
function byKey(packages: readonly InstalledPackage[]): Map<string, InstalledPackage> {
  const counts = new Map<string, number>();
  for (const p of packages) counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
  return new Map(packages.map((p) => [(counts.get(p.name) ?? 0) > 1 ? `${p.name}:${p.arch ?? ""}` : p.name, p]));
}

const byName = (a: { name: string; arch?: string }, b: { name: string; arch?: string }): number =>
  a.name < b.name
    ? -1
    : a.name > b.name
      ? 1
      : (a.arch ?? "") < (b.arch ?? "")
        ? -1
        : (a.arch ?? "") > (b.arch ?? "")
          ? 1
          : 0;

/** Packages added, removed, upgraded and downgraded between two images, each list sorted by name. */
export function diffPackages(
  oldPackages: readonly InstalledPackage[],
  newPackages: readonly InstalledPackage[],
  compare: CompareVersions,
): PackageDiff {
  const before = byKey(oldPackages);
  const after = byKey(newPackages);
  const added = [...after].filter(([k]) => !before.has(k)).map(([, p]) => p);
  const removed = [...before].filter(([k]) => !after.has(k)).map(([, p]) => p);
  const upgraded: VersionChange[] = [];
  const downgraded: VersionChange[] = [];
  for (const [key, oldPkg] of before) {
    const newPkg = after.get(key);
    if (!newPkg) continue;
    const order = compare(oldPkg.version, newPkg.version);
    if (order === 0) continue;
    const change = {
      name: oldPkg.name,
      ...(newPkg.arch ? { arch: newPkg.arch } : {}),
      from: oldPkg.version,
      to: newPkg.version,
    };
    (order < 0 ? upgraded : downgraded).push(change);
  }
  return {
    added: added.sort(byName),
    removed: removed.sort(byName),
    upgraded: upgraded.sort(byName),
    downgraded: downgraded.sort(byName),
  };
}
