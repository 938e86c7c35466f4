import { defaultMaxChars, renderExplanation, type Explanation } from "../explain/index.js";
import { escapeMarkdown } from "../markdown/index.js";

/**
 * What a PR body (and `/repin explain`) says about the images a PR bumps (pure): why it was
 * opened outside the schedule or before minimumAge, one `renderExplanation` section per image,
 * and a one-line note for each image whose packages were not compared, with why (never "no package
 * changed" unless both lists were read). Fits the room it is given.
 */
export type SkippedHold = "schedule" | "minimumAge";

export interface BumpExplanation {
  /** `image:tag` as written (new tag for a tag update). */
  readonly image: string;
  readonly explanation: Explanation;
}

export interface PrExplanation {
  readonly bumps: readonly BumpExplanation[];
  readonly platform: string;
  /** The holds this PR skipped because it fixes advisories. */
  readonly skipped: readonly SkippedHold[];
  /** Whether the PR is being opened (else updated); default true. */
  readonly opening?: boolean;
}

/** Distinct advisories the PR's bumps fix. */
export function fixedCount(e: PrExplanation): number {
  return new Set(e.bumps.flatMap((b) => b.explanation.fixed.map((a) => a.id))).size;
}

const MIN_SECTION = 600;

export function renderPrExplanation(e: PrExplanation, room: number): string {
  const fixed = fixedCount(e);
  const advisories = `${fixed} ${fixed === 1 ? "advisory" : "advisories"}`;
  const where = [
    e.skipped.includes("schedule") ? "outside the schedule" : null,
    e.skipped.includes("minimumAge") ? "before minimumAge" : null,
  ]
    .filter(Boolean)
    .join(" and ");
  const verb = e.opening === false ? "Updated" : "Opened";
  const head =
    fixed > 0 && where !== "" ? ["> [!IMPORTANT]", `> ${verb} ${where} because it fixes ${advisories}.`, ""] : [];
  const notes = e.bumps
    .filter((b) => b.explanation.diff === null)
    .map(
      (b) =>
        `> Packages not compared for \`${code(b.image)}\`: ${escapeMarkdown(b.explanation.problems.join("; ") || "its package list could not be read", { tableCell: true })}`,
    );
  const readable = e.bumps.filter((b) => b.explanation.diff !== null);
  const intro = readable.length > 0 ? [`Packages compared for \`${code(e.platform)}\`.`, ""] : [];
  const fixedSize = size([...head, ...intro, ...notes]) + 2;
  const share =
    readable.length === 0 ? 0 : Math.min(defaultMaxChars, Math.floor((room - fixedSize - 200) / readable.length) - 2);
  const sections =
    readable.length === 0
      ? []
      : share < MIN_SECTION
        ? [`_The package diffs are left out: this body would be over GitHub's size limit._`]
        : readable.map((b) =>
            renderExplanation(b.explanation, { maxChars: share, title: `What changed in \`${code(b.image)}\`` }),
          );
  const text = [...head, ...intro, ...sections.flatMap((s) => [s, ""]), ...notes].join("\n").trimEnd();
  return text.length <= room ? text : head.join("\n").trimEnd();
}

// Inside a code span escapes show as written; image names and platforms cannot hold backticks anyway.
const code = (text: string): string => text.replace(/[`\r\n]/g, "");
const size = (lines: readonly string[]): number => lines.reduce((n, l) => n + l.length + 1, 0);
