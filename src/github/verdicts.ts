import { mapLimit } from "../lookup/index.js";
import type { Update } from "../plan/index.js";
import type { Proposals, Verdicts } from "../proposals/index.js";
import type { Registry } from "../registry/index.js";
import { isBump, type Explainer } from "./explainer.js";

/**
 * What the advisories say about a repository's bumps (SPEC 8), from the explainer: explanations
 * memoized per digest pair and inventories cached by digest, so after the first time these cost
 * no registry request and can go into the fingerprint of src/proposals' decision.
 */

/** Every bump that may become or is a PR (proposals and those held by minimumAge), explained. */
export async function securityFixes(
  explainer: Explainer,
  registry: Registry,
  platform: string,
  decided: Pick<Proposals, "held" | "desired">,
): Promise<Verdicts> {
  const aged = [...decided.held].filter(([, state]) => state.kind === "held-minimum-age").map(([u]) => u);
  const candidates = [...new Set([...aged, ...decided.desired.flatMap((pr) => pr.updates)])].filter(isBump);
  const fixes = new Map<Update, readonly string[]>();
  const unsure = new Set<Update>();
  await mapLimit(candidates, 2, async (bump) => {
    const result = await explainer.fixes(registry, bump, platform);
    if (result.transient) unsure.add(bump);
    if (result.fixed.length > 0) fixes.set(bump, result.fixed);
  });
  return { fixes, unsure };
}

/** Current references whose image has advisories with a fix the tag has not shipped yet (cached inventories only). */
export async function waitingForUpstream(
  explainer: Explainer,
  updates: readonly Update[],
  platform: string,
): Promise<Map<Update, string>> {
  const waiting = new Map<Update, string>();
  for (const u of updates) {
    if (u.action !== "none" || u.currentDigest === null || u.source === null) continue;
    // The pinned digest is the tag's current one, so every fixable advisory waits for upstream.
    const pending = await explainer.pending(u.currentDigest, platform);
    const [first] = pending;
    if (first)
      waiting.set(
        u,
        `${first.id} in ${first.package} (fixed in ${first.fixedIn})${pending.length > 1 ? ` and ${pending.length - 1} more` : ""}`,
      );
  }
  return waiting;
}
