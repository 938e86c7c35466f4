import { isIgnored, type Ignore, type ReferenceState } from "../dashboard/index.js";
import { DEFAULT_TAG, repositoryKey, type Update } from "../plan/index.js";

/**
 * What holds a proposal back before it becomes a PR (pure; nothing it is given is modified):
 * - ignores from the dashboard issue (or none, with `dashboard: false`);
 * - minimumAge: a new digest is proposed once repin has seen it that long. `firstSeen` is when
 *   each `<registry>/<repository>@<digest>` was first seen; sightings new in this call come back
 *   in `sightings` for the caller to remember.
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
    if ((u.action !== "bump" && u.action !== "pin") || u.source === null || u.newDigest === null) {
      proposing.push(u);
      continue;
    }
    const image = repositoryKey(u.source);
    const kind = ignoredAs(ignores, image, u.tag ?? DEFAULT_TAG, u.newDigest);
    if (kind !== null) {
      held.set(u, { kind: "ignored", ignore: kind });
      continue;
    }
    if (minimumAgeMs !== null && minimumAgeMs > 0) {
      const key = `${image}@${u.newDigest}`;
      let seen = firstSeen.get(key) ?? sightings.get(key);
      if (seen === undefined) sightings.set(key, (seen = nowMs));
      if (nowMs - seen < minimumAgeMs) {
        held.set(u, { kind: "held-minimum-age", until: new Date(seen + minimumAgeMs).toISOString() });
        continue;
      }
    }
    proposing.push(u);
  }
  return { proposing, held, sightings };
}

function ignoredAs(ignores: readonly Ignore[], image: string, tag: string, digest: string): "image" | "digest" | null {
  const query = { image, tag, digest };
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
