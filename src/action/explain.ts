import { createFeedFetcher } from "../advisory-feeds/index.js";
import { cachedInventory, createAdvisoryStore, parseAdvisoryFeeds } from "../explain/index.js";
import { createExplainer, type Explainer } from "../github/index.js";
import type { InventoryCache } from "../inventory/index.js";
import type { Remembered } from "../store/index.js";

/**
 * The App's explainer (SPEC 8) for one Action run, so the Action's PR bodies carry the same
 * package diff and advisories as the App's. The feeds are the App's: `REPIN_ADVISORY_FEEDS` (SPEC
 * 14 names no input for them), else the public Wolfi, Chainguard and Alpine feeds; `[]` turns
 * them off. They are fetched once per run, the first time they are needed (a run with nothing to
 * explain fetches none); a feed that fails is a warning, and its advisories are then not matched.
 */
export type ActionExplainer = { readonly ok: true; readonly explainer: Explainer } | { readonly ok: false; readonly error: string };

export function actionExplainer(
  env: NodeJS.ProcessEnv,
  caches: { readonly inventories: InventoryCache; readonly verdicts: Remembered<readonly string[]> },
  warn: (message: string) => void,
): ActionExplainer {
  const { feeds, problems } = parseAdvisoryFeeds(env.REPIN_ADVISORY_FEEDS);
  if (problems.length > 0) return { ok: false, error: `REPIN_ADVISORY_FEEDS: ${problems.join("; ")}` };
  const advisories = createAdvisoryStore({ feeds, fetcher: createFeedFetcher() });
  let fetched: Promise<void> | null = null;
  const feedsRead = () =>
    (fetched ??= advisories.refresh().then(({ problems: failed }) => {
      if (failed.length > 0) warn(`advisory feeds not read, their advisories are not matched: ${failed.join("; ")}`);
    }));
  const explainer = createExplainer({ advisories, cache: caches.inventories, verdicts: caches.verdicts });
  return {
    ok: true,
    explainer: {
      platformFor: (platforms) => explainer.platformFor(platforms),
      explain: (registry, bump, platform) => feedsRead().then(() => explainer.explain(registry, bump, platform)),
      fixes: (registry, bump, platform) => feedsRead().then(() => explainer.fixes(registry, bump, platform)),
      // Pending advisories come from cached inventories only: without one there is nothing to match.
      pending: async (digest, platform) =>
        (await cachedInventory(caches.inventories, digest, platform))
          ? feedsRead().then(() => explainer.pending(digest, platform))
          : [],
    },
  };
}
