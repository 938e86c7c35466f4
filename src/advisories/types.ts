export type Ecosystem = "alpine" | "wolfi" | "chainguard" | "debian";

/**
 * Versions from `introduced` (inclusive; "0" means from the first version) up to `fixed`
 * (exclusive) or `lastAffected` (inclusive); neither means still unfixed.
 */
export interface AffectedRange {
  readonly introduced: string;
  readonly fixed?: string;
  readonly lastAffected?: string;
}

/** As the feed gives it, e.g. { type: "CVSS_V3", score: "CVSS:3.1/AV:N/..." }. */
export interface Severity {
  readonly type: string;
  readonly score: string;
}

/** One vulnerability of one package in one ecosystem, whatever feed it came from. */
export interface Advisory {
  readonly id: string;
  readonly aliases: string[];
  readonly package: string;
  readonly ecosystem: Ecosystem;
  /** Distribution release the feed is about ("v3.12", "7"), when it says. */
  readonly release?: string;
  /** The version that fixes it, when there is one. */
  readonly fixedIn?: string;
  /** Empty when the feed says the package was never affected. */
  readonly affectedRanges: AffectedRange[];
  readonly severity?: Severity;
  readonly summary?: string;
  readonly url: string;
}

export interface ParsedFeed {
  readonly advisories: Advisory[];
  /** What was skipped and why; parsing never throws. */
  readonly problems: string[];
}
