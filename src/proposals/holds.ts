import { isIgnored, type Ignore, type IgnoreQuery, type ReferenceState } from "../dashboard/index.js";
import { DEFAULT_TAG, repositoryKey, type Update } from "../plan/index.js";

/**
 * What holds a proposal back before it becomes a PR (pure; nothing it is given is modified):
 * - ignores from the dashboard issue (or none, with `dashboard: false`);
 * - minimumAge: a new digest is proposed once repin has seen it that long. `firstSeen` is when
 *   each `<registry>/<repository>@<digest>` was first seen (`<registry>/<repository>:<newTag>`
 *   for a tag update of an unpinned reference, which has no digest); sightings new in this call
 *   come back in `sightings` for the caller to remember.
 * Every kind of proposal is held alike (SPEC 5): digest bump, pin, tag update; pinned or not.
 */
export interface HoldInput {
  readonly updates: readonly Update[];
  readonly ignores: readonly Ignore[];
  /** null or 0: no minimumAge. */
  readonly minimumAgeMs: number | null;
  readonly firstSeen: ReadonlyMap<string, number>;
  readonly nowMs: number;
}

export interface HeldBack {
  /** Updates that may become PRs (and every non-proposal, which desiredPrs leaves out anyway). */
  readonly proposing: Update[];
  /** Proposals held back, with the state the dashboard shows. */
  readonly held: Map<Update, ReferenceState>;
  /** First sightings made now (`<registry>/<repository>@<digest>` → nowMs). */
  readonly sightings: Map<string, number>;
}

export function holdBack(input: HoldInput): HeldBack {
  const { ignores, minimumAgeMs, firstSeen, nowMs } = input;
  const proposing: Update[] = [];
  const held = new Map<Update, ReferenceState>();
  const sightings = new Map<string, number>();
  for (const u of input.updates) {
    const seenAs = sightingKey(u);
    if ((u.action !== "bump" && u.action !== "pin") || u.source === null || seenAs === null) {
      proposing.push(u);
      continue;
    }
    const image = repositoryKey(u.source);
    const kind = ignoredAs(ignores, { image, tag: u.tag ?? DEFAULT_TAG, digest: u.newDigest, newTag: u.newTag });
    if (kind !== null) {
      held.set(u, { kind: "ignored", ignore: kind });
      continue;
    }
    if (minimumAgeMs !== null && minimumAgeMs > 0) {
      let seen = firstSeen.get(seenAs) ?? sightings.get(seenAs);
      if (seen === undefined) sightings.set(seenAs, (seen = nowMs));
      if (nowMs - seen < minimumAgeMs) {
        held.set(u, { kind: "held-minimum-age", until: new Date(seen + minimumAgeMs).toISOString() });
        continue;
      }
    }
    proposing.push(u);
  }
  return { proposing, held, sightings };
}

/** What minimumAge counts from: the new digest, else (an unpinned tag update) the new tag. */
export function sightingKey(u: Update): string | null {
  if (u.source === null) return null;
  if (u.newDigest !== null) return `${repositoryKey(u.source)}@${u.newDigest}`;
  return u.newTag !== null ? `${repositoryKey(u.source)}:${u.newTag}` : null;
}

function ignoredAs(ignores: readonly Ignore[], query: IgnoreQuery): "image" | "digest" | null {
  if (
    isIgnored(
      ignores.filter((i) => i.kind === "image"),
      query,
    )
  )
    return "image";
  if (
    isIgnored(
      ignores.filter((i) => i.kind === "digest"),
      query,
    )
  )
    return "digest";
  return null;
}
