import { DEFAULT_CONFIG_FILE, parseRepinConfig } from "../config/index.js";
import { createPathFilter, MAX_FILE_BYTES } from "../lookup/index.js";
import type { SourceFile } from "../plan/index.js";
import { fullName, statusOf, type GitHubClient, type RepoTarget } from "./client.js";
import { rememberBlob, type RepinMemory, type RepoMemory } from "./memory.js";

/**
 * Reading a repository cheaply (SPEC 9): the default branch's head ref with If-None-Match (a 304
 * is free), and only when the head moved, one recursive tree and the blobs of tracked files whose
 * SHA repin has not seen. A file over 1 MiB or with NUL bytes is listed as unread, never fetched
 * twice. `.github/repin.yml` is read from the same tree (Probot's `_extends` is not followed).
 */
export type ReadResult =
  | { readonly kind: "unchanged"; readonly repo: RepoMemory }
  | { readonly kind: "changed"; readonly repo: RepoMemory }
  | { readonly kind: "empty" };

export class TreeTruncatedError extends Error {
  override readonly name = "TreeTruncatedError";
}

export async function readRepository(
  client: GitHubClient,
  target: RepoTarget,
  memory: RepinMemory,
): Promise<ReadResult> {
  const key = fullName(target).toLowerCase();
  const owner = target.owner;
  const repo = target.name;
  let known = memory.repos.get(key);
  const defaultBranch =
    target.defaultBranch ??
    known?.defaultBranch ??
    (await client.request("GET /repos/{owner}/{repo}", { owner, repo })).data.default_branch;
  if (known && known.defaultBranch !== defaultBranch) known = undefined;

  let head;
  try {
    head = await client.request("GET /repos/{owner}/{repo}/git/ref/{ref}", {
      owner,
      repo,
      ref: `heads/${defaultBranch}`,
      headers: known?.headEtag ? { "if-none-match": known.headEtag } : {},
    });
  } catch (error) {
    if (statusOf(error) === 304 && known) return { kind: "unchanged", repo: known };
    // 404 and 409: an empty repository has no branch yet.
    if (statusOf(error) === 404 || statusOf(error) === 409) return { kind: "empty" };
    throw error;
  }
  const headSha = head.data.object.sha;
  const headEtag = head.headers.etag ?? null;
  if (known && known.headSha === headSha) {
    known.headEtag = headEtag;
    return { kind: "unchanged", repo: known };
  }

  const tree = await client.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
    owner,
    repo,
    tree_sha: headSha,
    recursive: "1",
  });
  if (tree.data.truncated)
    throw new TreeTruncatedError(`the tree of ${fullName(target)} is too large to list in one request`);
  const blobs = tree.data.tree.filter(
    (entry) => entry.type === "blob" && entry.path !== undefined && entry.sha !== undefined,
  );
  const configEntry = blobs.find((entry) => entry.path === DEFAULT_CONFIG_FILE);
  const configText = configEntry ? ((await blobText(client, target, configEntry.sha!, memory)) ?? "") : "";
  const tracked = trackedPaths(configText);

  const files: SourceFile[] = [];
  const unread: { path: string; reason: string }[] = [];
  const modes = new Map<string, string>();
  for (const entry of blobs) {
    const path = entry.path!;
    if (!tracked(path)) continue;
    modes.set(path, entry.mode ?? "100644");
    if ((entry.size ?? 0) > MAX_FILE_BYTES) {
      unread.push({ path, reason: `larger than 1 MiB (${entry.size} bytes); not read` });
      continue;
    }
    const content = await blobText(client, target, entry.sha!, memory);
    if (content === null) unread.push({ path, reason: "binary file; not read" });
    else files.push({ path, content });
  }
  const next: RepoMemory = {
    defaultBranch,
    headEtag,
    headSha,
    treeSha: tree.data.sha,
    modes,
    files,
    unread,
    configText,
    settled: null,
    seen: known?.seen ?? new Map(),
  };
  memory.repos.set(key, next);
  return { kind: "changed", repo: next };
}

/** The path filter of a repository's config; a config that does not parse stops PRs anyway, so it tracks the default names. */
export function trackedPaths(configText: string): (path: string) => boolean {
  const parsed = parseRepinConfig(configText, DEFAULT_CONFIG_FILE);
  return createPathFilter(parsed.ok ? parsed.config.paths : { include: [], exclude: [] });
}

async function blobText(
  client: GitHubClient,
  target: RepoTarget,
  sha: string,
  memory: RepinMemory,
): Promise<string | null> {
  if (memory.blobs.has(sha)) return memory.blobs.get(sha) ?? null;
  const blob = await client.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
    owner: target.owner,
    repo: target.name,
    file_sha: sha,
  });
  const bytes = Buffer.from(blob.data.content, blob.data.encoding === "base64" ? "base64" : "utf8");
  const text = bytes.includes(0) ? null : bytes.toString("utf8");
  rememberBlob(memory, sha, text);
  return text;
}
