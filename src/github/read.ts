import { DEFAULT_CONFIG_FILE, MAX_CONFIG_BYTES, parseRepinConfig, type ConfigParseResult } from "../config/index.js";
import { createPathFilter, MAX_FILE_BYTES } from "../lookup/index.js";
import type { SourceFile } from "../plan/index.js";
import { fullName, repoApi, type GitHubClient, type RepoApi, type RepoTarget } from "./client.js";
import { readBlob, readHead, readTree, type TreeEntry } from "./git.js";
import { rememberBlob, type BlobContent, type RepinMemory, type RepoMemory } from "./memory.js";

/**
 * Reading a repository cheaply (SPEC 9): the default branch's head ref with If-None-Match (a 304
 * is free), and only when the head moved, one recursive tree and the blobs of tracked files whose
 * SHA repin has not seen. A file over 1 MiB, with NUL bytes or not valid UTF-8 is listed as unread
 * (so never rewritten, SPEC 5 "Files are bytes"), never fetched twice. `.github/repin.yml` is read
 * from the same tree (Probot's `_extends` is not followed) and parsed only when its blob SHA
 * changed; one over the config size cap is an error without being fetched.
 */
export type ReadResult =
  | { readonly kind: "unchanged"; readonly repo: RepoMemory }
  | { readonly kind: "changed"; readonly repo: RepoMemory }
  | { readonly kind: "empty" };

export class TreeTruncatedError extends Error {
  override readonly name = "TreeTruncatedError";
}

export interface ReadOptions {
  /** The config parser (tests count its calls); default parseRepinConfig. */
  readonly parseConfig?: (text: string) => ConfigParseResult;
  /** The config file's path in the repository; default `.github/repin.yml` (the Action's `config` input). */
  readonly configFile?: string;
}

export async function readRepository(
  client: GitHubClient,
  target: RepoTarget,
  memory: RepinMemory,
  options: ReadOptions = {},
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
  const configFile = options.configFile ?? DEFAULT_CONFIG_FILE;
  const configEntry = tree.blobs.find((entry) => entry.path === configFile) ?? null;
  const { configText, config } =
    known && known.configSha === (configEntry?.sha ?? null)
      ? known
      : await readConfig(api, configEntry, memory, {
          parse: options.parseConfig ?? parseRepinConfig,
          file: configFile,
        });
  const tracked = trackedPaths(config);

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
    const content = await blobContent(api, entry.sha, memory);
    if ("unread" in content) unread.push({ path, reason: content.unread });
    else files.push({ path, content: content.text });
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
    configSha: configEntry?.sha ?? null,
    config,
    settled: null,
    seen: known?.seen ?? new Map(),
  };
  memory.repos.set(key, next);
  return { kind: "changed", repo: next };
}

/** The path filter of a repository's config; a config that does not parse stops PRs anyway, so it tracks the default names. */
export function trackedPaths(parsed: ConfigParseResult): (path: string) => boolean {
  return createPathFilter(parsed.ok ? parsed.config.paths : { include: [], exclude: [] });
}

/** The config file's text and parse; a blob over the cap is an error before it is fetched or decoded. */
async function readConfig(
  api: RepoApi,
  entry: TreeEntry | null,
  memory: RepinMemory,
  how: { readonly parse: (text: string) => ConfigParseResult; readonly file: string },
): Promise<{ configText: string; config: ConfigParseResult }> {
  const { parse, file } = how;
  if (entry === null) return { configText: "", config: parse("") };
  if (entry.size > MAX_CONFIG_BYTES) {
    const kib = (bytes: number) => (bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1);
    const reason = `the file is ${kib(entry.size)} KiB; a repin config may be at most ${kib(MAX_CONFIG_BYTES)} KiB`;
    return { configText: "", config: { ok: false, error: { file, line: 1, reason } } };
  }
  const content = await blobContent(api, entry.sha, memory);
  if ("unread" in content)
    return {
      configText: "",
      config: { ok: false, error: { file, line: 1, reason: "the file is not UTF-8 text" } },
    };
  return { configText: content.text, config: parse(content.text) };
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Text only when the bytes are UTF-8: a lossy decode would commit U+FFFD where the file's bytes were. */
async function blobContent(api: RepoApi, sha: string, memory: RepinMemory): Promise<BlobContent> {
  const known = memory.blobs.get(sha);
  if (known) return known;
  const bytes = await readBlob(api, sha);
  const content = bytes.includes(0) ? { unread: BINARY } : decode(bytes);
  rememberBlob(memory, sha, content);
  return content;
}

const BINARY = "binary file; not read";
const NOT_UTF8 = "not UTF-8 text; not read, so it cannot be rewritten without loss";

function decode(bytes: Uint8Array): BlobContent {
  try {
    return { text: strictUtf8.decode(bytes) };
  } catch {
    return { unread: NOT_UTF8 };
  }
}
