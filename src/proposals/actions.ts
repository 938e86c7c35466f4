import type { Marker } from "./body.js";
import type { DesiredPr } from "./desired.js";

/**
 * The PRs as they are (read through the GitHub port) and what to do about them: data the diff
 * takes and gives. Reasons are codes; `refusalText` is where a refusal becomes words.
 */
export type ForceMode = "rebase" | "recreate";

/** One of repin's open PRs (its bot opened it from a `repin/` branch of this repository). */
export interface OpenPr {
  readonly number: number;
  readonly branch: string;
  readonly headSha: string;
  /** Its marker; its commit "" when a person edited it out or its seal is not repin's. */
  readonly marker: Marker;
  readonly body: string;
  /** Whether the branch's head is repin's, read when it is not the sealed commit the marker names. */
  readonly head?: HeadCommit;
  /** The newest review whose author still requests changes (null: none), read when the PR may be rewritten. */
  readonly blockingReview?: number | null;
}

export interface HeadCommit {
  /** Its tree is exactly what repin writes for the PR now (who the commit names counts for nothing). */
  readonly byRepin: boolean;
  /** The content fingerprint of the files it holds when repin's, else null. */
  readonly content: string | null;
}

/** A closed PR on a desired branch, from this repository, with a marker. */
export interface ClosedPr {
  readonly number: number;
  readonly marker: Marker;
  readonly body: string;
  readonly merged: boolean;
}

export type LeaveReason =
  /** Someone other than repin pushed to the branch. */
  | "foreign-push"
  /** A person requested changes after the last override. */
  | "changes-requested"
  /** Not proposed now, but what it is about is undecided or held back (registry down, minimumAge, ignored). */
  | "unsettled"
  /** A closed PR declines this proposal (merged with the same target, or closed unmerged). */
  | "declined";

export type RefuseReason = "foreign-push" | "nothing-proposed";

export type RetitleReason =
  /** A run died between moving the branch and editing the PR: the branch has repin's commit. */
  | "interrupted-run"
  /** The files are the same, the count of fixed advisories changed. */
  | "advisories-changed";

export type PrAction =
  /** A new commit on the base head, the branch set to it, a PR opened and decorated. */
  | { readonly kind: "create"; readonly pr: DesiredPr }
  /** A new commit, the branch moved to it, the PR's title and body rewritten. */
  | { readonly kind: "rewrite"; readonly number: number; readonly pr: DesiredPr; readonly reviewOk?: number }
  /** The PR's title and body rewritten on the commit it has. */
  | {
      readonly kind: "retitle";
      readonly number: number;
      readonly pr: DesiredPr;
      readonly commit: string;
      readonly reviewOk?: number;
      readonly reason: RetitleReason;
    }
  /** Its change is on the base branch (or its image is gone): a comment, then closed; the branch deleted if only repin wrote it. */
  | { readonly kind: "close"; readonly pr: OpenPr; readonly deleteBranch: boolean }
  /** A PR closed unmerged, not yet recorded: its digest becomes a dashboard ignore and its marker says so. */
  | { readonly kind: "record-closed"; readonly closed: ClosedPr }
  /** Nothing written. */
  | { readonly kind: "leave"; readonly branch: string; readonly number: number | null; readonly reason: LeaveReason }
  /** Someone else pushed: say once, in a comment, that repin stopped updating it, and mark it `foreign`. */
  | { readonly kind: "say-foreign"; readonly pr: OpenPr }
  /** Not opened now: prConcurrentLimit is reached. */
  | { readonly kind: "defer"; readonly branch: string; readonly reason: "pr-concurrent-limit" }
  /** A person's rebase or recreate that cannot be done. */
  | { readonly kind: "refuse"; readonly branch: string; readonly reason: RefuseReason };

export function refusalText(reason: RefuseReason): string {
  switch (reason) {
    case "foreign-push":
      return "someone else pushed to this branch; `/repin recreate` takes it back (their commits are dropped)";
    case "nothing-proposed":
      return "repin proposes nothing for this branch now (the change is on the base branch, or it is ignored or held back)";
  }
}
