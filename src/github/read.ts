import { DEFAULT_CONFIG_FILE, MAX_CONFIG_BYTES, parseRepinConfig, type ConfigParseResult } from "../config/index.js";
import { createPathFilter, MAX_FILE_BYTES } from "../lookup/index.js";
import type { SourceFile } from "../plan/index.js";
import { fullName, repoApi, type GitHubClient, type RepoApi, type RepoTarget } from "./client.js";
import { readBlob, readHead, readTree, type TreeEntry } from "./git.js";
import type { BlobContent, RepoRecord, Store } from "../store/index.js";
import { repoKeyOf, type RepoMemory } from "./memory.js";

/**
 * Reading a repository cheaply (SPEC 9): the default branch's head ref with If-None-Match (a 304
 * is free), and only when the head moved, one recursive tree and the blobs of tracked files whose
 * SHA repin has not seen (the store keeps them, so a restart reads none again). A file over 1 MiB, with NUL bytes or not valid UTF-8 is listed as unread
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
  store: Store,
  options: ReadOptions = {},
): Promise<ReadResult> {
  const key = repoKeyOf(fullName(target));
  const api = repoApi(client, target);
  let known = await store.repositories.get(key);
  const defaultBranch =
    target.defaultBranch ??
    known?.defaultBranch ??
    (await client.request("GET /repos/{owner}/{repo}", { owner: api.owner, repo: api.repo })).data.default_branch;
  if (known && known.defaultBranch !== defaultBranch) known = undefined;

  const head = await readHead(api, defaultBranch, known?.headEtag ?? null);
  if (head.kind === "missing") return { kind: "empty" };
  if (head.kind === "unchanged" && known) return { kind: "unchanged", repo: await recall(api, store, key, known) };
  if (head.kind === "unchanged") throw new Error(`${fullName(target)}: 304 for a head repin does not know`);
  const headSha = head.sha;
  const headEtag = head.etag;
  if (known && known.headSha === headSha) {
    known = { ...known, headEtag };
    await store.repositories.put(key, known);
    return { kind: "unchanged", repo: await recall(api, store, key, known) };
  }

  const tree = await readTree(api, headSha);
  if (tree.truncated)
    throw new TreeTruncatedError(`the tree of ${fullName(target)} is too large to list in one request`);
  const configFile = options.configFile ?? DEFAULT_CONFIG_FILE;
  const configEntry = tree.blobs.find((entry) => entry.path === configFile) ?? null;
  const { configText, config } =
    known && known.configSha === (configEntry?.sha ?? null)
      ? known
      : await readConfig(api, configEntry, store, {
          parse: options.parseConfig ?? parseRepinConfig,
          file: configFile,
        });
  const tracked = trackedPaths(config);

  const files: SourceFile[] = [];
  const shas: { path: string; sha: string }[] = [];
  const unread: { path: string; reason: string }[] = [];
  const modes = new Map<string, string>();
  const entries = tree.blobs.filter((entry) => tracked(entry.path));
  const stored = await store.blobs.get(entries.map((entry) => entry.sha));
  for (const entry of entries) {
    const path = entry.path;
    modes.set(path, entry.mode);
    if (entry.size > MAX_FILE_BYTES) {
      unread.push({ path, reason: `larger than 1 MiB (${entry.size} bytes); not read` });
      continue;
    }
    const content = stored.get(entry.sha) ?? (await blobContent(api, entry.sha, store));
    if ("unread" in content) unread.push({ path, reason: content.unread });
    else {
      files.push({ path, content: content.text });
      shas.push({ path, sha: entry.sha });
    }
  }
  const record: RepoRecord = {
    defaultBranch,
    headEtag,
    headSha,
    treeSha: tree.sha,
    modes: Object.fromEntries(modes),
    files: shas,
    unread,
    configSha: configEntry?.sha ?? null,
    configText,
    config,
    settled: null,
    seen: known?.seen ?? {},
  };
  await store.repositories.put(key, record);
  return { kind: "changed", repo: view(key, record, files) };
}

/** The repository as stored, its files' texts from the blobs (one read by SHA for any the store lacks). */
async function recall(api: RepoApi, store: Store, key: string, record: RepoRecord): Promise<RepoMemory> {
  const texts = await store.blobs.get(record.files.map((file) => file.sha));
  const files: SourceFile[] = [];
  for (const file of record.files) {
    const content = texts.get(file.sha) ?? (await blobContent(api, file.sha, store));
    if ("text" in content) files.push({ path: file.path, content: content.text });
  }
  return view(key, record, files);
}

function view(key: string, record: RepoRecord, files: readonly SourceFile[]): RepoMemory {
  return {
    key,
    record,
    defaultBranch: record.defaultBranch,
    headSha: record.headSha,
    treeSha: record.treeSha,
    modes: new Map(Object.entries(record.modes)),
    files,
    unread: record.unread,
    configText: record.configText,
    config: record.config,
    settled: record.settled,
    seen: new Map(Object.entries(record.seen)),
  };
}

/** The path filter of a repository's config; a config that does not parse stops PRs anyway, so it tracks the default names. */
export function trackedPaths(parsed: ConfigParseResult): (path: string) => boolean {
  return createPathFilter(parsed.ok ? parsed.config.paths : { include: [], exclude: [] });
}

/** The config file's text and parse; a blob over the cap is an error before it is fetched or decoded. */
async function readConfig(
  api: RepoApi,
  entry: TreeEntry | null,
  store: Store,
  how: { readonly parse: (text: string) => ConfigParseResult; readonly file: string },
): Promise<{ configText: string; config: ConfigParseResult }> {
  const { parse, file } = how;
  if (entry === null) return { configText: "", config: parse("") };
  if (entry.size > MAX_CONFIG_BYTES) {
    const kib = (bytes: number) => (bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1);
    const reason = `the file is ${kib(entry.size)} KiB; a repin config may be at most ${kib(MAX_CONFIG_BYTES)} KiB`;
    return { configText: "", config: { ok: false, error: { file, line: 1, reason } } };
  }
  const content = (await store.blobs.get([entry.sha])).get(entry.sha) ?? (await blobContent(api, entry.sha, store));
  if ("unread" in content)
    return {
      configText: "",
      config: { ok: false, error: { file, line: 1, reason: "the file is not UTF-8 text" } },
    };
  return { configText: content.text, config: parse(content.text) };
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Text only when the bytes are UTF-8: a lossy decode would commit U+FFFD where the file's bytes were. */
async function blobContent(api: RepoApi, sha: string, store: Store): Promise<BlobContent> {
  const bytes = await readBlob(api, sha);
  const content = bytes.includes(0) ? { unread: BINARY } : decode(bytes);
  await store.blobs.put(sha, content);
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
