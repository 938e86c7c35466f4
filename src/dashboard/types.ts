export type IgnoreKind = "digest" | "image";
/** Why: a repin PR closed without merging ("not this digest"), or a `/repin ignore …` command. */
export type IgnoreReason = "closed-unmerged" | "command";

/**
 * One ignore as stored in the dashboard's data block. `image` is normalized
 * (`docker.io/library/python`); a digest ignore carries `digest`, an image ignore may carry `tag`
 * to ignore only that tag.
 */
export interface Ignore {
  readonly kind: IgnoreKind;
  readonly image: string;
  readonly tag?: string;
  readonly digest?: string;
  /**
   * A digest ignore of a tag update names the tag it moved to instead of a digest: "not this tag"
   * (a newer tag is proposed again; SPEC 5).
   */
  readonly newTag?: string;
  readonly reason: IgnoreReason;
  /** Login of who asked (commands) or who closed the PR. */
  readonly by?: string;
  readonly pr?: number;
  /** ISO 8601. */
  readonly at: string;
}

/** What repin is doing about one reference, as shown in the dashboard. */
export type ReferenceState =
  | { readonly kind: "current" }
  | { readonly kind: "pr-open"; readonly pr: number }
  | { readonly kind: "ignored"; readonly ignore: IgnoreKind }
  | { readonly kind: "held-minimum-age"; readonly until: string }
  | { readonly kind: "held-schedule" }
  | { readonly kind: "skipped"; readonly reason: string }
  | { readonly kind: "registry-error"; readonly reason: string }
  | { readonly kind: "waiting-upstream"; readonly advisory: string };

export interface TrackedReference {
  readonly file: string;
  /** The file's kind (SPEC 2a), shown beside the file unless it is a Dockerfile: "compose.yaml (compose)". */
  readonly kind?: string;
  /** 1-based; null when the whole file was skipped. */
  readonly line: number | null;
  /** As written (after ARG expansion), without digest; null when it did not parse. */
  readonly image: string | null;
  readonly tag: string | null;
  /** The pinned digest, null when unpinned. */
  readonly digest: string | null;
  readonly state: ReferenceState;
}

export interface OpenPr {
  readonly number: number;
  readonly branch: string;
}

export interface DashboardState {
  readonly references: readonly TrackedReference[];
  readonly openPrs: readonly OpenPr[];
  readonly ignores: readonly Ignore[];
  /** Set while PRs are paused, e.g. by an invalid `.github/repin.yml`; shown at the top. */
  readonly paused?: string | null;
}

export interface ParsedDashboard {
  /** From the data block, minus those whose list line a person deleted. */
  readonly ignores: Ignore[];
  readonly checked: { readonly rescan: boolean; readonly recreate: string[] };
  /** Why the data block was missing or partly unreadable; null when all was well. */
  readonly problem: string | null;
}
