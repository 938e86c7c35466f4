import { DEFAULT_CONFIG_FILE, parseRepinConfig } from "../config/index.js";
import { createPathFilter, MAX_FILE_BYTES } from "../lookup/index.js";
import type { SourceFile } from "../plan/index.js";
import { fullName, repoApi, type GitHubClient, type RepoApi, type RepoTarget } from "./client.js";
import { readBlob, readHead, readTree } from "./git.js";
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
  const api = repoApi(client, target);
  let known = memory.repos.get(key);
  const defaultBranch =
    target.defaultBranch ??
    known?.defaultBranch ??
    (await client.request("GET /repos/{owner}/{repo}", { owner: api.owner, repo: api.repo })).data.default_branch;
  if (known && known.defaultBranch !== defaultBranch) known = undefined;

  const head = await readHead(api, defaultBranch, known?.headEtag ?? null);
  if (head.kind === "missing") return { kind: "empty" };
  if (head.kind === "unchanged" && known) return { kind: "unchanged", repo: known };
  if (head.kind === "unchanged") throw new Error(`${fullName(target)}: 304 for a head repin does not know`);
  const headSha = head.sha;
  const headEtag = head.etag;
  if (known && known.headSha === headSha) {
    known.headEtag = headEtag;
    return { kind: "unchanged", repo: known };
  }

  const tree = await readTree(api, headSha);
  if (tree.truncated)
    throw new TreeTruncatedError(`the tree of ${fullName(target)} is too large to list in one request`);
  const configEntry = tree.blobs.find((entry) => entry.path === DEFAULT_CONFIG_FILE);
  const configText = configEntry ? ((await blobText(api, configEntry.sha, memory)) ?? "") : "";
  const tracked = trackedPaths(configText);

  const files: SourceFile[] = [];
  const unread: { path: string; reason: string }[] = [];
  const modes = new Map<string, string>();
  for (const entry of tree.blobs) {
    const path = entry.path;
    if (!tracked(path)) continue;
    modes.set(path, entry.mode);
    if (entry.size > MAX_FILE_BYTES) {
      unread.push({ path, reason: `larger than 1 MiB (${entry.size} bytes); not read` });
      continue;
    }
    const content = await blobText(api, entry.sha, memory);
    if (content === null) unread.push({ path, reason: "binary file; not read" });
    else files.push({ path, content });
  }
  const next: RepoMemory = {
    defaultBranch,
    headEtag,
    headSha,
    treeSha: tree.sha,
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

async function blobText(api: RepoApi, sha: string, memory: RepinMemory): Promise<string | null> {
  if (memory.blobs.has(sha)) return memory.blobs.get(sha) ?? null;
  const bytes = await readBlob(api, sha);
  const text = bytes.includes(0) ? null : bytes.toString("utf8");
  rememberBlob(memory, sha, text);
  return text;
}
