import { ignoreId, type Ignore, type ReferenceState } from "../dashboard/index.js";
import type { SourceFile, Update } from "../plan/index.js";
import { desiredPrs, shortHash, type DesiredPr, type Grouping } from "./desired.js";
import type { SkippedHold } from "./explanation.js";
import { holdBack } from "./holds.js";

/**
 * The PRs to have (pure): what is held back (ignores, minimumAge), what fixes advisories (skips
 * minimumAge, and the schedule as `urgent`), and the fingerprint that lets an unchanged cycle stop
 * early. The fingerprint holds the verdicts, not the feeds: a feed change that concerns none of
 * this repository's images changes nothing here.
 */
export interface Verdicts {
  /** Advisory ids each bump fixes (non-empty only). */
  readonly fixes: ReadonlyMap<Update, readonly string[]>;
  /** Bumps whose images failed in a way that may pass. */
  readonly unsure: ReadonlySet<Update>;
}

/** Current references waiting for an upstream fix: the advisory. */
export type Waiting = ReadonlyMap<Update, string>;

export const noVerdicts: Verdicts = { fixes: new Map(), unsure: new Set() };

export interface ProposalInput {
  /** The plan's updates (what may become PRs). */
  readonly planned: readonly Update[];
  /** Every row the dashboard shows (unread files included): undecided ones go into the fingerprint. */
  readonly updates: readonly Update[];
  /** The tracked files as on the default branch, and what identifies that state. */
  readonly files: readonly SourceFile[];
  readonly headSha: string | null;
  readonly configText: string;
  readonly group: Grouping;
  readonly minimumAgeMs: number | null;
  readonly ignores: readonly Ignore[];
  /** When each `<registry>/<repository>@<digest>` was first seen (minimumAge). */
  readonly firstSeen: ReadonlyMap<string, number>;
  readonly now: Date;
  readonly inSchedule: boolean;
  readonly verdicts: Verdicts;
  readonly waiting: Waiting;
}

export interface Proposals {
  readonly desired: DesiredPr[];
  readonly held: Map<Update, ReferenceState>;
  readonly fingerprint: string;
  /** Branches that fix advisories: written even outside the schedule. */
  readonly urgent: Set<string>;
  /** Branches opened before minimumAge because they fix advisories. */
  readonly skippedAge: Set<string>;
  /** Advisories per branch, only where every bump's images answered. */
  readonly counts: Map<string, number>;
  /** First sightings to remember (minimumAge). */
  readonly sightings: Map<string, number>;
}

export function decideProposals(input: ProposalInput): Proposals {
  const { fixes, unsure } = input.verdicts;
  const { proposing, held, sightings } = holdBack({
    updates: input.planned,
    ignores: input.ignores,
    minimumAgeMs: input.minimumAgeMs,
    firstSeen: input.firstSeen,
    nowMs: input.now.getTime(),
  });
  const aged = [...held].filter(([u, state]) => state.kind === "held-minimum-age" && fixes.has(u)).map(([u]) => u);
  for (const u of aged) held.delete(u);
  const desired = desiredPrs([...proposing, ...aged], input.files, input.group);
  const urgent = new Set(desired.filter((pr) => pr.updates.some((u) => fixes.has(u))).map((pr) => pr.branch));
  const skippedAge = new Set(desired.filter((pr) => pr.updates.some((u) => aged.includes(u))).map((pr) => pr.branch));
  const counts = new Map(
    desired
      .filter((pr) => !pr.updates.some((u) => unsure.has(u)))
      .map((pr) => [pr.branch, new Set(pr.updates.flatMap((u) => fixes.get(u) ?? [])).size]),
  );
  const undecided = input.updates
    .filter((u) => u.action === "skip" && u.source !== null)
    .map((u) => `${u.file}:${u.line}`);
  const fingerprint = shortHash(
    JSON.stringify([
      input.headSha,
      input.configText,
      desired.map((pr) => [pr.branch, pr.target, pr.content, counts.get(pr.branch) ?? null]),
      undecided,
      [...held.values()],
      input.ignores.map(ignoreId),
      input.inSchedule,
      [...urgent],
      input.updates.map((u) => input.waiting.get(u) ?? null),
    ]),
  );
  return { desired, held, fingerprint, urgent, skippedAge, counts, sightings };
}

/** The holds a PR skipped because it fixes advisories (its body says so). */
export function skippedHolds(
  proposals: Pick<Proposals, "urgent" | "skippedAge">,
  branch: string,
  outsideSchedule: boolean,
): SkippedHold[] {
  if (!proposals.urgent.has(branch)) return [];
  return [
    ...(outsideSchedule ? (["schedule"] as const) : []),
    ...(proposals.skippedAge.has(branch) ? (["minimumAge"] as const) : []),
  ];
}
