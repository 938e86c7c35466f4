import { isIgnored, type Ignore, type ReferenceState, type TrackedReference } from "../dashboard/index.js";
import { DEFAULT_TAG, describeReason, repositoryKey, type Lookups, type Update } from "../plan/index.js";
import { branchName, GROUP_ALL_KEY, imageKey, imageName, type Grouping } from "./desired.js";

/**
 * What holds a proposal back before it becomes a PR, and what the dashboard says about every
 * reference (pure, except that `holdBack` records first sightings in the map it is given).
 *
 * - Ignores come from the dashboard issue (or nothing, with `dashboard: false`).
 * - minimumAge: a new digest is proposed once repin has seen it that long. First sightings live
 *   in memory, so a restart restarts the clock (the safe direction: later, never earlier).
 */
export const MAX_FIRST_SEEN = 100_000;

export interface HeldBack {
  /** Updates that may become PRs (and every non-proposal, which desiredPrs leaves out anyway). */
  readonly proposing: Update[];
  /** Proposals held back, with the state the dashboard shows. */
  readonly held: Map<Update, ReferenceState>;
}

export function holdBack(
  updates: readonly Update[],
  ignores: readonly Ignore[],
  minimumAgeMs: number | null,
  firstSeen: Map<string, number>,
  nowMs: number,
): HeldBack {
  const proposing: Update[] = [];
  const held = new Map<Update, ReferenceState>();
  for (const u of updates) {
    if ((u.action !== "bump" && u.action !== "pin") || u.source === null || u.newDigest === null) {
      proposing.push(u);
      continue;
    }
    const image = repositoryKey(u.source);
    const tag = u.tag ?? DEFAULT_TAG;
    const kind = ignoredAs(ignores, image, tag, u.newDigest);
    if (kind !== null) {
      held.set(u, { kind: "ignored", ignore: kind });
      continue;
    }
    if (minimumAgeMs !== null && minimumAgeMs > 0) {
      const key = `${image}@${u.newDigest}`;
      const seen = firstSeen.get(key) ?? remember(firstSeen, key, nowMs);
      if (nowMs - seen < minimumAgeMs) {
        held.set(u, { kind: "held-minimum-age", until: new Date(seen + minimumAgeMs).toISOString() });
        continue;
      }
    }
    proposing.push(u);
  }
  return { proposing, held };
}

function ignoredAs(ignores: readonly Ignore[], image: string, tag: string, digest: string): "image" | "digest" | null {
  if (
    isIgnored(
      ignores.filter((i) => i.kind === "image"),
      { image, tag, digest },
    )
  )
    return "image";
  if (
    isIgnored(
      ignores.filter((i) => i.kind === "digest"),
      { image, tag, digest },
    )
  )
    return "digest";
  return null;
}

function remember(firstSeen: Map<string, number>, key: string, nowMs: number): number {
  if (firstSeen.size >= MAX_FIRST_SEEN) {
    const oldest = firstSeen.keys().next().value;
    if (oldest !== undefined) firstSeen.delete(oldest);
  }
  firstSeen.set(key, nowMs);
  return nowMs;
}

export interface StateInputs {
  readonly held: ReadonlyMap<Update, ReferenceState>;
  readonly lookups: Lookups;
  readonly group: Grouping;
  /** Open repin PRs by branch. */
  readonly prs: ReadonlyMap<string, number>;
  readonly outsideSchedule: boolean;
  /** Branches reconcile did not open because of prConcurrentLimit. */
  readonly deferred: readonly string[];
  /** Current references whose image has an advisory the tag has not shipped a fix for: the advisory. */
  readonly waiting?: ReadonlyMap<Update, string>;
}

/** One dashboard row per reference. */
export function referenceStates(updates: readonly Update[], inputs: StateInputs): TrackedReference[] {
  return updates.map((u) => ({
    file: u.file,
    line: u.image === null ? null : u.line,
    image: u.image === null ? null : imageName(u),
    tag: u.tag,
    digest: u.currentDigest,
    state: stateOf(u, inputs),
  }));
}

function stateOf(u: Update, inputs: StateInputs): ReferenceState {
  const held = inputs.held.get(u);
  if (held) return held;
  const advisory = inputs.waiting?.get(u);
  if (u.action === "none" && advisory !== undefined) return { kind: "waiting-upstream", advisory };
  if (u.action === "none")
    return u.currentDigest !== null
      ? { kind: "current" }
      : { kind: "skipped", reason: u.reason ? describeReason(u.reason) : "not pinned (config `pin: true` pins it)" };
  if (u.action === "skip") {
    const reason = u.reason ? describeReason(u.reason) : "skipped";
    return u.reason?.code === "registry-error" ? { kind: "registry-error", reason } : { kind: "skipped", reason };
  }
  const branch = branchName(inputs.group === "all" ? GROUP_ALL_KEY : imageKey(u));
  const pr = inputs.prs.get(branch);
  if (pr !== undefined) return { kind: "pr-open", pr };
  if (inputs.outsideSchedule) return { kind: "held-schedule" };
  if (inputs.deferred.includes(branch)) return { kind: "skipped", reason: "waiting: prConcurrentLimit reached" };
  return { kind: "skipped", reason: "a PR for this digest was closed without merging" };
}
