import {
  advisoriesForBump,
  installedVersionsOf,
  isAffected,
  versionOrderFor,
  type Advisory,
  type BumpAdvisory,
  type Ecosystem,
  type Severity,
} from "../advisories/index.js";
import {
  diffPackages,
  type InstalledPackage,
  type Inventory,
  type InventoryCache,
  type LayerCache,
  type PackageDiff,
} from "../inventory/index.js";
import type { RepositoryName } from "../reference/types.js";
import type { Registry } from "../registry/index.js";
import type { AdvisorySource } from "./advisory-store.js";
import { ecosystemOf, releaseOf } from "./ecosystem.js";
import { inventoryFor, type InventoryFailure, type InventoryResult } from "./inventory.js";

export interface ExplainInput {
  readonly registry: Registry;
  readonly repo: RepositoryName;
  readonly oldDigest: string;
  readonly newDigest: string;
  /** "os/arch[/variant]"; default linux/amd64. */
  readonly platform?: string;
  readonly cache: InventoryCache;
  readonly advisories: AdvisorySource;
  /** Most layer bytes read per image; default 512 MiB. */
  readonly maxBytes?: number;
  /** Layers by digest: one the two images share is downloaded once. */
  readonly layers?: LayerCache;
}

/** What a bump changes: the package diff and the advisories it fixes and introduces. */
export interface Explanation {
  /** Null when either image could not be read or has no package database (see `problems`): nothing was compared. */
  readonly diff: PackageDiff | null;
  readonly fixed: BumpAdvisory[];
  readonly introduced: BumpAdvisory[];
  /** Null when the image's distribution has no feed repin knows. */
  readonly ecosystem: Ecosystem | null;
  /** Sentences for people: why something is missing. */
  readonly problems: string[];
  /** Why an image could not be read (set when `diff` is null); "registry" may pass on a retry. */
  readonly failures?: readonly InventoryFailure[];
}

const defaultMaxBytes = 512 * 1024 * 1024;

/** Reads both images (in parallel, cached), diffs their packages and matches advisories. Never throws for registry or layer problems. */
export async function explainBump(input: ExplainInput): Promise<Explanation> {
  const options = {
    cache: input.cache,
    maxBytes: input.maxBytes ?? defaultMaxBytes,
    ...(input.platform ? { platform: input.platform } : {}),
    ...(input.layers ? { layers: input.layers } : {}),
  };
  const [before, after] = await Promise.all([
    inventoryFor(input.registry, input.repo, input.oldDigest, options),
    inventoryFor(input.registry, input.repo, input.newDigest, options),
  ]);
  if (!before.ok || !after.ok) {
    const problems = [failureLine("old", input.oldDigest, before), failureLine("new", input.newDigest, after)].filter(
      (p): p is string => p !== null,
    );
    const failures = [before, after].flatMap((result) => (result.ok ? [] : [result.failure]));
    return { diff: null, fixed: [], introduced: [], ecosystem: null, problems, failures };
  }
  return explainInventories(before.inventory, after.inventory, input.advisories);
}

/** The pure part of `explainBump`: two inventories and an advisory source in, an explanation out. */
export function explainInventories(before: Inventory, after: Inventory, source: AdvisorySource): Explanation {
  const ecosystem = ecosystemOf(after);
  // An image without a package database has no list to compare: "nothing changed" would be a claim never checked.
  const missing = [before.kind === "none" ? "old" : null, after.kind === "none" ? "new" : null].filter(Boolean);
  if (missing.length > 0) {
    const problems = missing.map((which) => `the ${which} image has no apk or dpkg package database`);
    return { diff: null, fixed: [], introduced: [], ecosystem, problems };
  }
  const problems: string[] = [];
  const oldEcosystem = ecosystemOf(before);
  if (oldEcosystem !== ecosystem)
    problems.push(
      `the old image looks like ${oldEcosystem ?? "an unknown distribution"}, the new one like ${ecosystem ?? "an unknown distribution"}`,
    );
  const compare = versionOrderFor(ecosystem ?? (after.kind === "dpkg" ? "debian" : "alpine"));
  const diff = diffPackages(before.packages, after.packages, compare);
  if (!ecosystem) {
    problems.push("no advisory feed for this image's distribution; advisories were not checked");
    return { diff, fixed: [], introduced: [], ecosystem, problems };
  }
  const advisories = forRelease(
    source.advisoriesFor(ecosystem, namesOf([...before.packages, ...after.packages])),
    releaseOf(after, ecosystem),
  );
  const { fixed, introduced } = advisoriesForBump(before.packages, after.packages, advisories, ecosystem);
  return { diff, fixed, introduced, ecosystem, problems };
}

export interface PendingAdvisory {
  readonly id: string;
  readonly aliases: string[];
  /** The name the feed uses (a source name for Alpine and Debian feeds). */
  readonly package: string;
  readonly installedVersion: string;
  readonly fixedIn: string;
  readonly severity?: Severity;
  readonly url: string;
}

/**
 * Advisories that affect the pinned image and name a fixed version: the fix exists upstream.
 * Pair with `splitPending` and the tag's current image to tell "open the PR now" from
 * "waiting for upstream to rebuild".
 */
export function pendingAdvisories(inventory: Inventory, source: AdvisorySource): PendingAdvisory[] {
  const ecosystem = ecosystemOf(inventory);
  if (!ecosystem) return [];
  const compare = versionOrderFor(ecosystem);
  const advisories = forRelease(
    source.advisoriesFor(ecosystem, namesOf(inventory.packages)),
    releaseOf(inventory, ecosystem),
  );
  const pending = new Map<string, PendingAdvisory>();
  for (const advisory of advisories) {
    if (!advisory.fixedIn) continue;
    for (const version of installedVersionsOf(inventory.packages, advisory.package, ecosystem)) {
      if (!isAffected(advisory, version, compare)) continue;
      const key = `${advisory.package}\0${advisory.id}`;
      if (pending.has(key)) continue;
      pending.set(key, {
        id: advisory.id,
        aliases: advisory.aliases,
        package: advisory.package,
        installedVersion: version,
        fixedIn: advisory.fixedIn,
        ...(advisory.severity ? { severity: advisory.severity } : {}),
        url: advisory.url,
      });
    }
  }
  return [...pending.values()].sort((a, b) =>
    a.package === b.package ? (a.id < b.id ? -1 : 1) : a.package < b.package ? -1 : 1,
  );
}

/** Which pending advisories the tag's current image (null: not read) already fixes, and which wait for upstream. */
export function splitPending(
  pending: readonly PendingAdvisory[],
  tagImage: Inventory | null,
  source: AdvisorySource,
): { readonly fixAvailable: PendingAdvisory[]; readonly waitingForUpstream: PendingAdvisory[] } {
  const ecosystem = tagImage ? ecosystemOf(tagImage) : null;
  if (!tagImage || !ecosystem) return { fixAvailable: [], waitingForUpstream: [...pending] };
  const stillAffected = new Set(pendingAdvisories(tagImage, source).map((p) => `${p.id}\0${p.package}`));
  const fixAvailable = pending.filter((p) => !stillAffected.has(`${p.id}\0${p.package}`));
  return { fixAvailable, waitingForUpstream: pending.filter((p) => stillAffected.has(`${p.id}\0${p.package}`)) };
}

// Feeds speak of binary names (Wolfi) or source names (Alpine origin, Debian Source).
function namesOf(packages: readonly InstalledPackage[]): string[] {
  return [...new Set(packages.flatMap((p) => (p.source ? [p.name, p.source] : [p.name])))];
}

/** Advisories of another release of the same distribution would match the wrong versions. */
function forRelease(advisories: readonly Advisory[], release: string | null): Advisory[] {
  if (!release) return [...advisories];
  return advisories.filter((a) => !a.release || a.release === release);
}

function failureLine(which: "old" | "new", digest: string, result: InventoryResult): string | null {
  return result.ok ? null : `could not read the ${which} image ${digest.slice(0, 19)}: ${result.reason}`;
}
