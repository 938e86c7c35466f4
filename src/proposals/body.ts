import { formatPlatform } from "../plan/index.js";
import type { Update } from "../plan/index.js";
import { imageName, type DesiredPr } from "./desired.js";
import { renderPrExplanation, type PrExplanation } from "./explanation.js";

/**
 * PR text (pure): the body with its table, details and command list, and the hidden marker
 * `<!-- repin:{json} -->` that lets repin recognise its PRs and comments.
 */
export interface Marker {
  readonly v: 1;
  readonly key: string;
  readonly image: string;
  readonly tag: string;
  readonly newTag: string | null;
  readonly digest: string | null;
  /** DesiredPr.target: what the PR proposes. */
  readonly target: string;
  /** DesiredPr.content: the files it writes. */
  readonly content: string;
  /** The commit repin wrote on the branch; trusted only with its seal (`sig`, see seal.ts). */
  readonly commit: string;
  /** HMAC of the branch and `commit`, keyed from the App's private key. */
  readonly sig?: string;
  /** Set once repin has said that someone else pushed to the branch. */
  readonly foreign?: boolean;
  /**
   * On a closed PR: what closing it ignores. `digest` (closed unmerged, or `/repin ignore this
   * digest`), `image` (`/repin ignore this image`), `none` (`/repin unignore`). With the dashboard
   * on, any value only says "already recorded in the dashboard", which is then the record.
   */
  readonly ignore?: "digest" | "image" | "none";
  /** The id of the last "changes requested" review that a `/repin rebase` or `recreate` overrode. */
  readonly reviewOk?: number;
  /** How many advisories the body says the PR fixes (absent: none); a new count rewrites the body. */
  readonly fixes?: number;
}

const MARKER = /<!-- repin:(\{.*?\}) -->/;

export function formatMarker(marker: Marker): string {
  return `<!-- repin:${JSON.stringify(marker)} -->`;
}

export function parseMarker(body: string | null | undefined): Marker | null {
  const match = MARKER.exec(body ?? "");
  if (!match) return null;
  try {
    const value = JSON.parse(match[1]!) as Partial<Marker>;
    if (
      value.v !== 1 ||
      typeof value.key !== "string" ||
      typeof value.target !== "string" ||
      typeof value.commit !== "string"
    )
      return null;
    return value as Marker;
  } catch {
    return null;
  }
}

export function markerFor(pr: DesiredPr, commit: string, reviewOk?: number, fixes = 0): Marker {
  return {
    v: 1,
    key: pr.key,
    image: pr.image,
    tag: pr.tag,
    newTag: pr.newTag,
    digest: pr.digest,
    target: pr.target,
    content: pr.content,
    commit,
    ...(reviewOk !== undefined && { reviewOk }),
    ...(fixes > 0 && { fixes }),
  };
}

/** The body with its marker replaced (a PR body repin wrote has exactly one). */
export function withMarker(body: string | null | undefined, marker: Marker): string {
  const text = body ?? "";
  return MARKER.test(text) ? text.replace(MARKER, () => formatMarker(marker)) : `${text}\n\n${formatMarker(marker)}`;
}

/** The file's kind beside its name, "compose.yaml (compose)"; a Dockerfile's name says it already. */
const kindNote = (u: Update): string => (u.kind === "dockerfile" ? "" : ` (${u.kind})`);

/** GitHub refuses PR bodies over 65,536 characters; leave room. */
export const MAX_PR_BODY = 65_000;

/** The body; with an explanation, its section goes before the commands, in the room left under MAX_PR_BODY. */
export function renderBody(pr: DesiredPr, marker: Marker, explanation?: PrExplanation): string {
  const plain = bodyParts(pr, marker, "");
  if (!explanation) return plain;
  const room = MAX_PR_BODY - plain.length - 2;
  const section = renderPrExplanation(explanation, room);
  return section === "" || section.length > room ? plain : bodyParts(pr, marker, section);
}

function bodyParts(pr: DesiredPr, marker: Marker, explanation: string): string {
  const contents = new Map(pr.changes.map((change) => [change.path, change.before]));
  const rows = pr.updates.map((u) => {
    const tag = u.newTag !== null ? `\`${u.tag}\` → \`${u.newTag}\`` : `\`${u.tag ?? "latest"}\``;
    const digest =
      u.newDigest === null ? "—" : `${u.currentDigest ? `\`${u.currentDigest}\`` : "(unpinned)"} → \`${u.newDigest}\``;
    const lines = editedLines(u, contents.get(u.file)).map((l) => (l.arg ? `${l.line} (\`ARG\` ${l.arg})` : l.line));
    return `| \`${u.file}\`${kindNote(u)} | ${lines.join(", ")} | \`${imageName(u)}\` | ${tag} | ${digest} |`;
  });
  const details = [
    ...new Map(pr.updates.map((u) => [`${imageName(u)}:${u.newTag ?? u.tag}@${u.newDigest}`, u])).values(),
  ].flatMap((u) => {
    const facts = [
      u.created ? `created ${u.created}` : null,
      u.platforms.length > 0 ? `platforms ${u.platforms.map(formatPlatform).join(", ")}` : null,
    ].filter(Boolean);
    return facts.length > 0
      ? [
          `- \`${imageName(u)}:${u.newTag ?? u.tag}\`${u.newDigest ? ` (\`${u.newDigest.slice(0, 19)}…\`)` : ""}: ${facts.join("; ")}`,
        ]
      : [];
  });
  return [
    pr.newTag !== null && pr.key !== "all"
      ? `repin moves \`${pr.image}\` from tag \`${pr.tag}\` to \`${pr.newTag}\`.`
      : `The tag${pr.key === "all" ? "s" : ` \`${pr.image}:${pr.tag}\``} this repository builds on moved to a new digest.`,
    "",
    "| File | Line | Image | Tag | Digest |",
    "| --- | --- | --- | --- | --- |",
    ...capped(rows, MAX_TABLE, (n) => `| … | | | | ${n} more not shown |`),
    "",
    ...(details.length > 0
      ? ["**New image**", "", ...capped(details, MAX_DETAILS, (n) => `- … ${n} more not shown`), ""]
      : []),
    ...(explanation !== "" ? [explanation, ""] : []),
    "<details><summary>Commands</summary>",
    "",
    "- `/repin rebase`: rebuild this branch on the current base branch",
    "- `/repin recreate`: rebuild it even if someone else pushed to it",
    "- `/repin ignore this digest` · `/repin ignore this image` · `/repin unignore`",
    "- `/repin explain`: the package diff and advisories of this update",
    "- `/repin help`",
    "",
    "</details>",
    "",
    formatMarker(marker),
  ].join("\n");
}

// The table and image details of a PR touching hundreds of files stay well under GitHub's limit.
const MAX_TABLE = 40_000;
const MAX_DETAILS = 8_000;

/** Whole lines while they fit in `max` characters, then one line saying how many were left out. */
function capped(lines: readonly string[], max: number, more: (n: number) => string): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > max) return [...kept, more(lines.length - kept.length)];
    kept.push(line);
    used += line.length + 1;
  }
  return kept;
}

/**
 * The lines an update edits in `content` (the file before the PR): the reference's own line, or an
 * `ARG` default it takes its tag or digest from (`arg` says which line uses it), each once.
 */
export function editedLines(
  update: Pick<Update, "line" | "edits">,
  content: string | undefined,
): { line: number; arg: string | null }[] {
  if (content === undefined || update.edits.length === 0) return [{ line: update.line, arg: null }];
  const lines = [...new Set(update.edits.map((edit) => lineAt(content, edit.range.start)))].sort((a, b) => a - b);
  return lines.map((line) => ({
    line,
    arg: line === update.line ? null : `default, used on line ${update.line}`,
  }));
}

function lineAt(content: string, offset: number): number {
  let line = 1;
  for (let at = content.indexOf("\n"); at !== -1 && at < offset; at = content.indexOf("\n", at + 1)) line++;
  return line;
}

const MAX_COMMIT_LINES = 50;

/**
 * The commit message: the title, then what moved and why in plain text (each edited line with its
 * old and new digest or tag, what the registry said about the new image, the advisories fixed when
 * the explanation names any), then the trailer.
 */
export function commitMessage(pr: DesiredPr, explanation?: PrExplanation): string {
  const contents = new Map(pr.changes.map((change) => [change.path, change.before]));
  const why =
    pr.key === "all"
      ? "The base images this repository builds on have new digests or releases in their registries."
      : pr.newTag !== null
        ? `${pr.image} has a newer release: tag ${pr.tag} moves to ${pr.newTag}.`
        : pr.updates.every((u) => u.currentDigest === null)
          ? `${pr.image}:${pr.tag} is pinned to the digest its registry serves now (config pin: true).`
          : `The tag ${pr.image}:${pr.tag} moved to a new digest in its registry.`;
  const moved = pr.updates.map((u) => {
    const where = editedLines(u, contents.get(u.file))
      .map((l) => (l.arg ? `line ${l.line} (ARG ${l.arg})` : `line ${l.line}`))
      .join(", ");
    const tag = u.newTag !== null ? `${u.tag} -> ${u.newTag}` : (u.tag ?? "latest");
    const digest = u.newDigest === null ? "" : `, ${u.currentDigest ?? "unpinned"} -> ${u.newDigest}`;
    return `- ${u.file}${kindNote(u)} ${where}: ${imageName(u)} ${tag}${digest}`;
  });
  const facts = [...new Map(pr.updates.map((u) => [`${imageName(u)}@${u.newDigest}`, u])).values()].flatMap((u) => {
    const known = [
      u.created ? `created ${u.created}` : null,
      u.platforms.length > 0 ? `platforms ${u.platforms.map(formatPlatform).join(", ")}` : null,
    ].filter(Boolean);
    return known.length > 0 ? [`New ${imageName(u)}:${u.newTag ?? u.tag ?? "latest"}: ${known.join("; ")}.`] : [];
  });
  const fixed = explanation
    ? [...new Set(explanation.bumps.flatMap((b) => b.explanation.fixed.map((a) => a.id)))].sort()
    : [];
  const security =
    fixed.length > 0
      ? [
          `Fixes ${fixed.length} ${fixed.length === 1 ? "advisory" : "advisories"}: ${fixed.slice(0, 20).join(", ")}${fixed.length > 20 ? ", …" : ""}.`,
        ]
      : [];
  const more = (n: number) => `- … ${n} more`;
  return [
    pr.title,
    "",
    why,
    "",
    ...(moved.length > MAX_COMMIT_LINES
      ? [...moved.slice(0, MAX_COMMIT_LINES), more(moved.length - MAX_COMMIT_LINES)]
      : moved),
    ...(facts.length > 0 || security.length > 0 ? ["", ...facts.slice(0, MAX_COMMIT_LINES), ...security] : []),
    "",
    `Repin-Content: ${pr.content}`,
    "",
  ].join("\n");
}

export const FOREIGN_NOTE = "<!-- repin:foreign -->";

export function foreignComment(branch: string): string {
  return `Someone other than repin pushed to \`${branch}\`, so repin will no longer update this PR. Comment \`/repin recreate\` to let repin rebuild it (their commits will be dropped).\n\n${FOREIGN_NOTE}`;
}

export function closingComment(base: string): string {
  return `The change this PR proposes is already on \`${base}\` (or the image is no longer used there), so repin closes it.`;
}

/** The marker of a repin PR whose marker a person edited out: its commit matches no head, so the branch is checked first. */
export const BLANK_MARKER: Marker = {
  v: 1,
  key: "",
  image: "",
  tag: "",
  newTag: null,
  digest: null,
  target: "",
  content: "",
  commit: "",
};

/** The label of PRs whose bump fixes an advisory. */
export const SECURITY_LABEL = "security";
