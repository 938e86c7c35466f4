import { createHash } from "node:crypto";
import { applyEdits } from "../dockerfile/index.js";
import { byPlace, DEFAULT_TAG, repositoryKey, type FileChange, type SourceFile, type Update } from "../plan/index.js";

/**
 * The PRs that should exist, from the plan (pure). One per (normalized image, tracked tag), or one
 * in all with `group: all`. Each carries only the edits of its own updates, applied to the files
 * as they are on the default branch, and two fingerprints: `target` (what it proposes: image, tag,
 * new tag, new digest — a PR closed unmerged declines this target) and `content` (the files it
 * writes — an open PR whose content differs is rewritten).
 */
export interface DesiredPr {
  readonly key: string;
  readonly branch: string;
  readonly title: string;
  readonly image: string;
  readonly tag: string;
  readonly newTag: string | null;
  readonly digest: string | null;
  readonly updates: readonly Update[];
  readonly changes: readonly FileChange[];
  readonly target: string;
  readonly content: string;
}

export type Grouping = "image" | "all";

export const BRANCH_PREFIX = "repin/";
export const GROUP_ALL_KEY = "all";

export function desiredPrs(updates: readonly Update[], files: readonly SourceFile[], group: Grouping): DesiredPr[] {
  const proposing = updates
    .filter((u) => (u.action === "bump" || u.action === "pin") && u.edits.length > 0 && u.source !== null)
    .sort(byPlace);
  const groups = new Map<string, Update[]>();
  for (const update of proposing) {
    const key = group === "all" ? GROUP_ALL_KEY : imageKey(update);
    groups.set(key, [...(groups.get(key) ?? []), update]);
  }
  const contents = new Map(files.map((file) => [file.path, file.content]));
  const result: DesiredPr[] = [];
  for (const [key, members] of groups) {
    const changes = changesOf(members, contents);
    if (changes.length === 0) continue;
    result.push(describe(key, members, changes));
  }
  return result.sort((a, b) => a.key.localeCompare(b.key));
}

/** `<registry>/<repository>:<tag>` of the image a reference resolves against. */
export function imageKey(update: Pick<Update, "source" | "tag">): string {
  return `${update.source ? repositoryKey(update.source) : "?"}:${update.tag ?? DEFAULT_TAG}`;
}

/** `repin/<registry>/<repository>/<tag>`, with characters git refuses in a ref replaced by `-`. */
export function branchName(key: string): string {
  if (key === GROUP_ALL_KEY) return `${BRANCH_PREFIX}${GROUP_ALL_KEY}`;
  const colon = key.lastIndexOf(":");
  return BRANCH_PREFIX + sanitizeRef(`${key.slice(0, colon)}/${key.slice(colon + 1)}`);
}

export function sanitizeRef(ref: string): string {
  return ref
    .replace(/[\s~^:?*[\\\x00-\x1f\x7f]/g, "-")
    .replace(/\.\.+/g, "-")
    .replace(/@\{/g, "-{")
    .split("/")
    .map(
      (part) =>
        part
          .replace(/^\./, "-")
          .replace(/\.lock$/, "-lock")
          .replace(/\.$/, "-") || "-",
    )
    .join("/");
}

function describe(key: string, members: Update[], changes: FileChange[]): DesiredPr {
  const first = members[0]!;
  const image = imageName(first);
  const tag = first.tag ?? DEFAULT_TAG;
  const newTag = first.newTag;
  const digest = first.newDigest;
  const keys = new Set(members.map(imageKey));
  const title =
    keys.size > 1
      ? `Bump ${keys.size} base images`
      : newTag !== null
        ? `Bump ${image} from ${tag} to ${newTag}`
        : `Bump ${image}:${tag} digest to ${hexPrefix(digest)}`;
  const targets = [
    ...new Set(members.map((u) => `${imageKey(u)}->${u.newTag ?? u.tag ?? DEFAULT_TAG}@${u.newDigest ?? ""}`)),
  ].sort();
  return {
    key,
    branch: branchName(key),
    title,
    image,
    tag,
    newTag,
    digest,
    updates: members,
    changes,
    target: shortHash(targets.join(",")),
    content: shortHash(JSON.stringify(changes.map((change) => [change.path, change.after]))),
  };
}

function changesOf(members: Update[], contents: Map<string, string>): FileChange[] {
  const byFile = new Map<string, Update[]>();
  for (const update of members) byFile.set(update.file, [...(byFile.get(update.file) ?? []), update]);
  const changes: FileChange[] = [];
  for (const [path, fileUpdates] of byFile) {
    const before = contents.get(path);
    if (before === undefined) continue;
    const after = applyEdits(
      before,
      fileUpdates.flatMap((u) => u.edits),
    );
    if (after !== before) changes.push({ path, before, after });
  }
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}

/** The image as written, without its tag: `python` of `python:3.12-slim`. */
export function imageName(update: Pick<Update, "image" | "tag">): string {
  const written = update.image ?? "?";
  return update.tag !== null && written.endsWith(`:${update.tag}`) ? written.slice(0, -update.tag.length - 1) : written;
}

export const hexPrefix = (digest: string | null): string => (digest ?? "").replace(/^sha256:/, "").slice(0, 12);

export const shortHash = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 16);
