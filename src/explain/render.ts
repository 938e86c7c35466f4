import type { BumpAdvisory } from "../advisories/index.js";
import type { VersionChange } from "../inventory/index.js";
import type { Explanation } from "./explain.js";
import { escapeMarkdown } from "../markdown/index.js";

/** Text from images and feeds (package names, versions, advisory ids) goes into table cells and list items. */
const md = (text: string): string => escapeMarkdown(text, { tableCell: true });

/** A link whose text is escaped and whose target is kept only when it is plain https. */
function safeLink(text: string, url: string): string {
  const label = md(text);
  return /^https:\/\/[^\s()<>]+$/.test(url) ? `[${label}](${url})` : label;
}

/** GitHub bodies hold 65,536 characters; this section keeps to a share of that. */
export const defaultMaxChars = 20_000;

/** A bump that fixes any advisory is a security fix: labelled, and opened outside the schedule. */
export function isSecurityFix(explanation: Explanation): boolean {
  return explanation.fixed.length > 0;
}

/**
 * The PR body section for a bump: advisories fixed and introduced as tables, the package diff
 * folded in `<details>`, and what could not be read. `title` is trusted markdown (escape what goes in). Past `maxChars` whole lines are dropped
 * from the end (the package diff first, then the tables), and the section says so.
 */
export function renderExplanation(
  explanation: Explanation,
  options: { maxChars?: number; title?: string } = {},
): string {
  const maxChars = options.maxChars ?? defaultMaxChars;
  const head = [`### ${options.title ?? "What changed in the image"}`, ""];
  const fixed = advisoryTable("Advisories fixed", explanation.fixed);
  const introduced = advisoryTable("Advisories introduced", explanation.introduced);
  const diff = diffSection(explanation);
  const problems = explanation.problems.length > 0 ? ["", ...explanation.problems.map((p) => `> ${md(p)}`)] : [];
  const summary = summaryLine(explanation);
  return fit([...head, summary, ...fixed, ...introduced], diff.lines, diff.closing, problems, maxChars);
}

function summaryLine(e: Explanation): string {
  if (!e.diff) return "The packages of the two images could not be compared, so this update is not explained.";
  const counts = `${e.diff.upgraded.length} upgraded, ${e.diff.downgraded.length} downgraded, ${e.diff.added.length} added, ${e.diff.removed.length} removed`;
  const security =
    e.fixed.length > 0
      ? `**Security fix:** ${e.fixed.length} ${e.fixed.length === 1 ? "advisory" : "advisories"} fixed. `
      : "";
  return `${security}Packages: ${counts}.`;
}

function advisoryTable(title: string, advisories: readonly BumpAdvisory[]): string[] {
  if (advisories.length === 0) return [];
  const rows = advisories.map((a) => {
    const change = `${a.oldVersion !== undefined ? md(a.oldVersion) : "—"} → ${a.newVersion !== undefined ? md(a.newVersion) : "(removed)"}`;
    return `| ${safeLink(a.id, a.url)} | ${md(a.package)} | ${change} | ${a.severity ? md(severityText(a.severity)) : "—"} |`;
  });
  return ["", `#### ${title}`, "", "| Advisory | Package | Version | Severity |", "| --- | --- | --- | --- |", ...rows];
}

// CVSS vectors are long; the version and the impact metrics are what a reviewer scans for.
function severityText(severity: { type: string; score: string }): string {
  const vector = /^CVSS:(\d\.\d)\/(.*)$/.exec(severity.score);
  return vector
    ? `CVSS ${vector[1]} ${vector[2]!
        .split("/")
        .filter((m) => /^(AV|C|I|A):/.test(m))
        .join("/")}`
    : severity.score;
}

function diffSection(e: Explanation): { lines: string[]; closing: string[] } {
  if (!e.diff) return { lines: [], closing: [] };
  const { added, removed, upgraded, downgraded } = e.diff;
  const total = added.length + removed.length + upgraded.length + downgraded.length;
  if (total === 0) return { lines: ["", "No OS package changed."], closing: [] };
  const change = (c: VersionChange) =>
    `- ${md(c.name)}${c.arch ? ` (${md(c.arch)})` : ""}: ${md(c.from)} → ${md(c.to)}`;
  const group = (title: string, items: string[]) => (items.length === 0 ? [] : ["", `**${title}**`, "", ...items]);
  const lines = [
    "",
    "<details>",
    `<summary>Package changes (${total})</summary>`,
    ...group("Upgraded", upgraded.map(change)),
    ...group("Downgraded", downgraded.map(change)),
    ...group(
      "Added",
      added.map((p) => `- ${md(p.name)} ${md(p.version)}`),
    ),
    ...group(
      "Removed",
      removed.map((p) => `- ${md(p.name)} ${md(p.version)}`),
    ),
  ];
  return { lines, closing: ["", "</details>"] };
}

/** Keeps `tail` whole; keeps lines of `top`, then of `diff`, while they fit, and says how many were cut. */
function fit(top: string[], diff: string[], closing: string[], tail: string[], maxChars: number): string {
  const size = (lines: readonly string[]) => lines.reduce((n, l) => n + l.length + 1, 0);
  const noteRoom = 120;
  let room = maxChars - size(tail) - size(closing) - noteRoom;
  const kept: string[] = [];
  let cut = 0;
  for (const line of [...top, ...diff]) {
    if (cut === 0 && line.length + 1 <= room) {
      kept.push(line);
      room -= line.length + 1;
    } else cut++;
  }
  const keptDiffLines = kept.length - top.length;
  const note =
    cut > 0
      ? [
          "",
          `_${cut} more ${cut === 1 ? "line was" : "lines were"} cut to keep this section under ${maxChars} characters._`,
        ]
      : [];
  return [...kept, ...(keptDiffLines > 0 ? closing : []), ...note, ...tail].join("\n").slice(0, maxChars);
}
