import {
  cachedInventory,
  explainBump,
  pendingAdvisories,
  type AdvisorySource,
  type Explanation,
  type PendingAdvisory,
} from "../explain/index.js";
import { createLayerCache, type InventoryCache, type LayerCache } from "../inventory/index.js";
import { DEFAULT_TAG, repositoryKey, type Update } from "../plan/index.js";
import type { Registry } from "../registry/index.js";
import type { Remembered } from "../store/index.js";
import {
  imageName,
  type BumpExplanation,
  type DesiredPr,
  type PrExplanation,
  type SkippedHold,
} from "../proposals/index.js";

/**
 * Explains bumps for the App: package diffs and advisories (src/explain), memoized per (image,
 * old digest, new digest, platform) while the advisories stay the same, so the security check, the
 * PR body and `/repin explain` share one reading, and an image that cannot be read (too large, bad
 * layer) is not downloaded again every cycle. Inventories themselves are cached by digest in
 * `cache`, the last verdict per bump in `verdicts` (the store: both survive a restart). Registry
 * failures are not memoized.
 */
export interface ExplainerSettings {
  readonly advisories: AdvisorySource & { readonly generation?: number };
  readonly cache: InventoryCache;
  /** Explained when the config names no `platforms`; default linux/amd64. */
  readonly platform?: string;
  /** Most layer bytes read per image (src/explain's default when absent). */
  readonly maxBytes?: number;
  /** The last advisories found fixed per bump, kept across restarts (default: in memory). */
  readonly verdicts?: Remembered<readonly string[]>;
  /** Layers by digest, shared by every image explained (default: one for this explainer). */
  readonly layers?: LayerCache;
}

export interface Explainer {
  /** The platform to explain for a repository building `platforms` (config). */
  platformFor(platforms: readonly string[]): string;
  explain(registry: Registry, bump: Bump, platform: string): Promise<Explanation>;
  /**
   * The ids of the advisories a bump fixes (sorted). When an image fails for a reason that may
   * pass (`transient`), the last ids found for the bump stand, so a PR opened as a security fix
   * is not closed by a registry hiccup and opened again.
   */
  fixes(registry: Registry, bump: Bump, platform: string): Promise<{ fixed: readonly string[]; transient: boolean }>;
  /** Advisories with a known fix on the image pinned at `digest`, from cached inventories only (never the registry). */
  pending(digest: string, platform: string): Promise<PendingAdvisory[]>;
}

/** A pinned reference moving from one digest to another. */
export type Bump = Update & {
  readonly source: NonNullable<Update["source"]>;
  readonly currentDigest: string;
  readonly newDigest: string;
};

export const isBump = (u: Update): u is Bump =>
  u.action === "bump" && u.source !== null && u.currentDigest !== null && u.newDigest !== null;

const MAX_MEMO = 1024;
const MAX_FOUND = 10_000;
const MAX_PENDING = 4096;

export function createExplainer(settings: ExplainerSettings): Explainer {
  const memo = new Map<string, Promise<Explanation>>();
  // A layer the old and new image share (or several images do) is downloaded once.
  const layers = settings.layers ?? createLayerCache();
  const found = settings.verdicts ?? inMemory<readonly string[]>(MAX_FOUND);
  let memoGeneration = -1;
  const generation = () => settings.advisories.generation ?? 0;
  const pendingMemo = new Map<string, Promise<PendingAdvisory[]>>();
  // Images that could not be read (too large, bad layer): advisories change nothing there, and
  // reading them again would cost a download.
  const unreadable = new Map<string, Explanation>();
  // New advisories: explanations are matched again (from cached inventories).
  const forgetAdvisories = () => {
    memoGeneration = generation();
    memo.clear();
    pendingMemo.clear();
  };
  const explainer: Explainer = {
    platformFor: (platforms) => platforms[0] ?? settings.platform ?? "linux/amd64",
    async fixes(registry, bump, platform) {
      const explanation = await explainer.explain(registry, bump, platform);
      const key = [repositoryKey(bump.source), bump.currentDigest, bump.newDigest, platform].join("|");
      if (explanation.failures?.includes("registry")) return { fixed: (await found.get(key)) ?? [], transient: true };
      const fixed = [...new Set(explanation.fixed.map((a) => a.id))].sort();
      if (fixed.length > 0) await found.put(key, fixed);
      else await found.delete(key);
      return { fixed, transient: false };
    },
    explain(registry, bump, platform) {
      if (memoGeneration !== generation()) forgetAdvisories();
      const key = [repositoryKey(bump.source), bump.currentDigest, bump.newDigest, platform].join("|");
      const failed = unreadable.get(key);
      if (failed) return Promise.resolve(failed);
      const known = memo.get(key);
      if (known) return known;
      const pending = explainBump({
        registry,
        repo: bump.source,
        oldDigest: bump.currentDigest,
        newDigest: bump.newDigest,
        platform,
        cache: settings.cache,
        advisories: settings.advisories,
        layers,
        ...(settings.maxBytes !== undefined ? { maxBytes: settings.maxBytes } : {}),
      });
      remember(memo, key, pending, MAX_MEMO);
      // A registry that failed may answer next time; a too-large image or a bad layer will not.
      const forget = () => memo.get(key) === pending && memo.delete(key);
      void pending.then(
        (e) =>
          e.failures?.includes("registry") ? forget() : e.diff === null && remember(unreadable, key, e, MAX_MEMO),
        forget,
      );
      return pending;
    },
    pending(digest, platform) {
      if (memoGeneration !== generation()) forgetAdvisories();
      const key = `${digest}|${platform}`;
      const known = pendingMemo.get(key);
      if (known) return known;
      const found = cachedInventory(settings.cache, digest, platform).then((inventory) =>
        inventory ? pendingAdvisories(inventory, settings.advisories) : [],
      );
      // Only what was found is kept: an inventory cached later must be seen.
      void found.then((list) => list.length === 0 && pendingMemo.get(key) === found && pendingMemo.delete(key));
      remember(pendingMemo, key, found, MAX_PENDING);
      return found;
    },
  };
  return explainer;
}

/** Records in memory, the oldest dropped past `max` (an explainer without a store: tests, the CLI). */
function inMemory<T>(max: number): Remembered<T> {
  const map = new Map<string, T>();
  return {
    get: async (key) => map.get(key),
    put: async (key, value) => {
      map.delete(key);
      remember(map, key, value, max);
    },
    delete: async (key) => void map.delete(key),
  };
}

/** Sets `key`, dropping the oldest entry past `max`. */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}

/** Every distinct bump of a PR explained (pins have no old image to compare). */
export async function describePr(
  explainer: Explainer,
  registry: Registry,
  pr: DesiredPr,
  platform: string,
  skipped: readonly SkippedHold[] = [],
  opening = true,
): Promise<PrExplanation> {
  const bumps = new Map<string, Bump>();
  for (const u of pr.updates)
    if (isBump(u)) bumps.set(`${repositoryKey(u.source)}|${u.currentDigest}|${u.newDigest}`, u);
  const explained: BumpExplanation[] = [];
  for (const bump of bumps.values()) {
    explained.push({
      image: `${imageName(bump)}:${bump.newTag ?? bump.tag ?? DEFAULT_TAG}`,
      explanation: await explainer.explain(registry, bump, platform),
    });
  }
  return { bumps: explained, platform, skipped, opening };
}
