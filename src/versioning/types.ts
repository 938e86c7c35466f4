/** A Docker tag read as a version: optional "v", 1-4 numbers, optional "-suffix". */
export interface VersionTag {
  readonly raw: string;
  readonly prefix: "" | "v";
  readonly numbers: readonly number[];
  /** Text after the first "-", or null. */
  readonly suffix: string | null;
  /** The suffix looks like a pre-release (rc, alpha, beta, ...). */
  readonly prerelease: boolean;
}

export type UpdateTagsPolicy = "patch" | "minor" | "major" | "none";
