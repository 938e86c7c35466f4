import { escapeMarkdown, quoteUserText } from "../markdown/index.js";
import { encodeDataBlock, validIgnore } from "./data-block.js";
import { ignoreId, sortIgnores } from "./ignores.js";
import { DASHBOARD_MARKER, RESCAN_MARKER, ignoreMarker, recreateMarker } from "./markers.js";
import type { DashboardState, Ignore, OpenPr, ReferenceState, TrackedReference } from "./types.js";

/** GitHub refuses issue bodies over 65,536 characters; leave room. */
export const MAX_BODY = 65_000;

const TABLE_HEADER = ["| File | Line | Image | Tag | Digest | State |", "| --- | --- | --- | --- | --- | --- |"];

/**
 * The dashboard issue body. Deterministic: the same state gives the same string (everything is
 * sorted, nothing depends on the clock), so the App edits the issue only when this changes.
 * When the body would be too long, reference rows are cut (never ignores: see parse.ts).
 */
export function renderDashboard(state: DashboardState): string {
  const ignores = sortIgnores(state.ignores.flatMap((ignore) => validIgnore(ignore) ?? []));
  const head = [
    DASHBOARD_MARKER,
    "repin keeps the base images of this repository's Dockerfiles pinned to patched digests. This issue shows every reference it tracks and what it is doing about it; repin keeps it up to date.",
    ...pausedLines(state.paused),
    "",
    "## References",
    "",
  ];
  const tail = [
    "",
    "## Actions",
    "",
    `- [ ] ${RESCAN_MARKER} Rescan this repository`,
    ...sortPrs(state.openPrs).map((pr) => `- [ ] ${recreateMarker(pr.branch)} Recreate PR #${pr.number}`),
    "",
    "## Ignored",
    "",
    ...ignoreLines(ignores),
    "",
    encodeDataBlock(ignores),
    "",
  ];
  const budget = MAX_BODY - joinedLength(head) - joinedLength(tail);
  return [...head, ...referenceLines(state.references, budget), ...tail].join("\n");
}

function pausedLines(paused: string | null | undefined): string[] {
  if (!paused) return [];
  return [
    "",
    "> [!WARNING]",
    `> repin opens and updates no PRs here until this is fixed: ${escapeMarkdown(paused, { max: 500 })}`,
  ];
}

function referenceLines(references: readonly TrackedReference[], budget: number): string[] {
  if (references.length === 0) return ["No image references found."];
  const rows = sortReferences(references).map(referenceRow);
  const lines = [...TABLE_HEADER];
  let used = joinedLength(lines);
  for (const [index, row] of rows.entries()) {
    const more = `| … | | | | | ${rows.length - index} more not shown |`;
    if (used + row.length + 1 + more.length + 1 > budget) {
      lines.push(more);
      break;
    }
    lines.push(row);
    used += row.length + 1;
  }
  return lines;
}

function referenceRow(ref: TrackedReference): string {
  const cell = (text: string | null, max: number) =>
    text === null ? "—" : quoteUserText(text, max, { inTable: true });
  const kind = ref.kind === undefined || ref.kind === "dockerfile" ? "" : ` (${ref.kind})`;
  return `| ${cell(ref.file, 200)}${kind} | ${ref.line ?? "—"} | ${cell(ref.image, 200)} | ${cell(ref.tag, 128)} | ${cell(shortDigest(ref.digest), 40)} | ${stateText(ref.state)} |`;
}

export function stateText(state: ReferenceState): string {
  switch (state.kind) {
    case "current":
      return "current";
    case "pr-open":
      return Number.isSafeInteger(state.pr) ? `PR open #${state.pr}` : "PR open";
    case "ignored":
      return `ignored (${state.ignore})`;
    case "held-minimum-age":
      return `held by minimumAge until ${escapeMarkdown(state.until, { max: 40 })}`;
    case "held-schedule":
      return "held by schedule";
    case "skipped":
      return `skipped: ${escapeMarkdown(state.reason, { max: 200 })}`;
    case "registry-error":
      return `registry error: ${escapeMarkdown(state.reason, { max: 200 })}`;
    case "waiting-upstream":
      return `waiting for upstream fix: ${escapeMarkdown(state.advisory, { max: 100 })}`;
  }
}

function ignoreLines(ignores: readonly Ignore[]): string[] {
  if (ignores.length === 0) return ["Nothing is ignored."];
  return [
    "Delete a line to undo that ignore, or comment `/repin unignore` on its PR.",
    "",
    ...ignores.map((ignore) => `- ${ignoreMarker(ignoreId(ignore))} ${ignoreText(ignore)}`),
  ];
}

function ignoreText(ignore: Ignore): string {
  const target =
    ignore.kind === "digest" && ignore.newTag !== undefined
      ? `tag ${quoteUserText(ignore.newTag, 128)} for ${quoteUserText(withTag(ignore), 200)}`
      : ignore.kind === "digest"
        ? `digest ${quoteUserText(shortDigest(ignore.digest ?? null) ?? "", 40)} of ${quoteUserText(withTag(ignore), 200)}`
        : `image ${quoteUserText(withTag(ignore), 200)}${ignore.tag === undefined ? " (every tag)" : ""}`;
  const by = ignore.by === undefined ? "" : ` by ${quoteUserText(ignore.by, 100)}`;
  const pr = ignore.pr === undefined ? "" : ` #${ignore.pr}`;
  const why =
    ignore.reason === "closed-unmerged"
      ? `PR${pr} closed without merging${by}`
      : `\`/repin ignore this ${ignore.kind}\`${by}${pr === "" ? "" : ` on${pr}`}`;
  // `at` passed validIgnore (ISO 8601), so its date part is plain digits and dashes.
  return `${target} — ${why}, ${ignore.at.slice(0, 10)}`;
}

function withTag(ignore: Ignore): string {
  return ignore.tag === undefined ? ignore.image : `${ignore.image}:${ignore.tag}`;
}

/** `sha256:` and the first 12 hex, like the PR titles. */
export function shortDigest(digest: string | null): string | null {
  if (digest === null) return null;
  const colon = digest.indexOf(":");
  return colon === -1 ? digest.slice(0, 12) : digest.slice(0, colon + 13);
}

function sortReferences(references: readonly TrackedReference[]): TrackedReference[] {
  return [...references].sort(
    (a, b) =>
      compare(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      compare(a.image ?? "", b.image ?? "") ||
      compare(a.tag ?? "", b.tag ?? "") ||
      compare(a.digest ?? "", b.digest ?? "") ||
      compare(stateText(a.state), stateText(b.state)),
  );
}

function sortPrs(prs: readonly OpenPr[]): OpenPr[] {
  const valid = prs.filter((pr) => Number.isSafeInteger(pr.number) && pr.number > 0);
  const sorted = valid.sort((a, b) => a.number - b.number || compare(a.branch, b.branch));
  return sorted.filter((pr, index) => index === 0 || sorted[index - 1]?.number !== pr.number);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function joinedLength(lines: readonly string[]): number {
  return lines.reduce((sum, line) => sum + line.length + 1, 0);
}

/**
 * Whether the issue must be edited to show `next`. GitHub may hand back a body edited in the
 * browser with CRLF line ends and trimmed trailing space; those alone are no change.
 */
export function dashboardNeedsEdit(current: string | null | undefined, next: string): boolean {
  const normalize = (body: string) => body.replace(/\r\n?/g, "\n").trimEnd();
  return current === null || current === undefined || normalize(current) !== normalize(next);
}
