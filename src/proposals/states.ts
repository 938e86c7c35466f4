import type { ReferenceState, TrackedReference } from "../dashboard/index.js";
import { describeReason, type Update } from "../plan/index.js";
import { branchName, GROUP_ALL_KEY, imageKey, imageName, type Grouping } from "./desired.js";

/** What the dashboard says about every reference (pure): one row per reference. */
export interface StateInputs {
  readonly held: ReadonlyMap<Update, ReferenceState>;
  readonly group: Grouping;
  /** Open repin PRs by branch. */
  readonly prs: ReadonlyMap<string, number>;
  readonly outsideSchedule: boolean;
  /** Branches reconcile did not open because of prConcurrentLimit. */
  readonly deferred: readonly string[];
  /** Current references whose image has an advisory the tag has not shipped a fix for: the advisory. */
  readonly waiting?: ReadonlyMap<Update, string>;
}

export function referenceStates(updates: readonly Update[], inputs: StateInputs): TrackedReference[] {
  return updates.map((u) => ({
    file: u.file,
    kind: u.kind,
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
