import type { CompareVersions, InstalledPackage } from "../inventory/index.js";
import { compareApkVersions, compareDpkgVersions } from "../inventory/index.js";
import type { Advisory, Ecosystem, Severity } from "./types.js";

/** apk ordering for Alpine, Wolfi and Chainguard; dpkg ordering for Debian. */
export function versionOrderFor(ecosystem: Ecosystem): CompareVersions {
  return ecosystem === "debian" ? compareDpkgVersions : compareApkVersions;
}

/** Whether `version` falls in one of the advisory's affected ranges. */
export function isAffected(advisory: Advisory, version: string, compare: CompareVersions): boolean {
  return advisory.affectedRanges.some((r) => {
    const fromStart = r.introduced === "0" || compare(version, r.introduced) >= 0;
    // "fixed: 0" (Chainguard's way of saying not affected) closes the range before it opens.
    const beforeFix = r.fixed === undefined || (r.fixed !== "0" && compare(version, r.fixed) < 0);
    const upToLast = r.lastAffected === undefined || compare(version, r.lastAffected) <= 0;
    return fromStart && beforeFix && upToLast;
  });
}

export interface BumpAdvisory {
  readonly id: string;
  readonly aliases: string[];
  /** The package name the advisory is about (a source/origin name for Alpine and Debian feeds). */
  readonly package: string;
  /** Version in the old image; absent when the package was added. */
  readonly oldVersion?: string;
  /** Version in the new image; absent when the package was removed. */
  readonly newVersion?: string;
  readonly fixedIn?: string;
  readonly severity?: Severity;
  readonly url: string;
  /** "removed": the new image no longer ships the package, which also ends the exposure. */
  readonly via: "version-change" | "removed" | "added";
}

export interface BumpAdvisories {
  /** Affected in the old image, not in the new one. */
  readonly fixed: BumpAdvisory[];
  /** Not affected in the old image, affected in the new one. */
  readonly introduced: BumpAdvisory[];
}

/**
 * Which advisories a digest bump fixes and which it brings in. Packages match an advisory by
 * binary name or by source name (apk origin, dpkg Source); Debian feeds speak of source
 * versions, so a dpkg package's source version is used when it has one. An advisory already
 * reported under the same id or alias for the same package (another feed) is not repeated.
 * Pass the advisories of the image's release: `release` is not checked here.
 */
export function advisoriesForBump(
  oldPackages: readonly InstalledPackage[],
  newPackages: readonly InstalledPackage[],
  advisories: readonly Advisory[],
  ecosystem: Ecosystem,
): BumpAdvisories {
  const compare = versionOrderFor(ecosystem);
  const fixed: BumpAdvisory[] = [];
  const introduced: BumpAdvisory[] = [];
  const seen = new Set<string>();
  for (const advisory of advisories) {
    if (advisory.ecosystem !== ecosystem) continue;
    const keys = [advisory.id, ...advisory.aliases].map((id) => `${advisory.package}\0${id}`);
    if (keys.some((k) => seen.has(k))) continue;
    const before = installedVersionsOf(oldPackages, advisory.package, ecosystem);
    const after = installedVersionsOf(newPackages, advisory.package, ecosystem);
    const hitBefore = before.find((v) => isAffected(advisory, v, compare));
    const hitAfter = after.find((v) => isAffected(advisory, v, compare));
    if ((hitBefore === undefined) === (hitAfter === undefined)) continue;
    keys.forEach((k) => seen.add(k));
    const oldVersion = hitBefore ?? before[0];
    const newVersion = hitAfter ?? after[0];
    const entry: BumpAdvisory = {
      id: advisory.id,
      aliases: advisory.aliases,
      package: advisory.package,
      ...(oldVersion !== undefined ? { oldVersion } : {}),
      ...(newVersion !== undefined ? { newVersion } : {}),
      ...(advisory.fixedIn ? { fixedIn: advisory.fixedIn } : {}),
      ...(advisory.severity ? { severity: advisory.severity } : {}),
      url: advisory.url,
      via: oldVersion === undefined ? "added" : newVersion === undefined ? "removed" : "version-change",
    };
    (hitBefore !== undefined ? fixed : introduced).push(entry);
  }
  return { fixed: fixed.sort(byPackageThenId), introduced: introduced.sort(byPackageThenId) };
}

/** The versions of `name` installed, as a binary package or as the source of one (Debian advisories name sources). */
export function installedVersionsOf(
  packages: readonly InstalledPackage[],
  name: string,
  ecosystem: Ecosystem,
): string[] {
  const versions = packages.flatMap((p) => {
    if (p.name === name) return [p.version];
    if (p.source === name) return [ecosystem === "debian" ? (p.sourceVersion ?? p.version) : p.version];
    return [];
  });
  return [...new Set(versions)];
}

function byPackageThenId(a: BumpAdvisory, b: BumpAdvisory): number {
  if (a.package !== b.package) return a.package < b.package ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
