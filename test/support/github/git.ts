// Thin wrappers over the `git` binary for the simulator's bare repositories.
// Every object (blob, tree, commit) and ref is git's own, so tests can run
// real `git diff`/`git log` against what the App wrote through the API.
import { spawn } from "node:child_process";

export interface GitPerson {
  name: string;
  email: string;
  /** ISO 8601 date, e.g. 2024-01-01T00:00:00Z */
  date: string;
}

export interface GitCommit {
  sha: string;
  tree: string;
  parents: string[];
  author: GitPerson;
  committer: GitPerson;
  message: string;
}

export type GitObjectType = "blob" | "tree" | "commit" | "tag";

export interface GitTreeEntry {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
  size?: number;
}

/** A change to apply on top of a base tree: a new blob/tree sha, or null to delete. */
export interface TreeChange {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string | null;
}

export interface ChangedFile {
  filename: string;
  /** The blob after the change (before it, for a removed file). */
  sha: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  additions: number;
  deletions: number;
}

interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

const BASE_ENV: Record<string, string> = {
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  LANG: "C",
  LC_ALL: "C",
  PATH: process.env.PATH ?? "/usr/bin:/bin",
};

export class GitError extends Error {
  override name = "GitError";
  constructor(
    readonly args: string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`git ${args.join(" ")} exited ${code}: ${stderr.trim()}`);
  }
}

export function runGit(
  dir: string,
  args: string[],
  options: { input?: Buffer | string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: dir,
      env: { ...BASE_ENV, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") }),
    );
    child.stdin.on("error", () => undefined); // git may exit before reading stdin
    child.stdin.end(options.input ?? "");
  });
}

async function git(
  dir: string,
  args: string[],
  options: { input?: Buffer | string; env?: Record<string, string> } = {},
): Promise<Buffer> {
  const result = await runGit(dir, args, options);
  if (result.code !== 0) throw new GitError(args, result.code, result.stderr);
  return result.stdout;
}

async function gitText(
  dir: string,
  args: string[],
  options: { input?: Buffer | string; env?: Record<string, string> } = {},
): Promise<string> {
  return (await git(dir, args, options)).toString("utf8").trim();
}

export async function initBare(dir: string, defaultBranch: string): Promise<void> {
  await git(dir, ["init", "--bare", "--quiet", `--initial-branch=${defaultBranch}`, "."]);
}

export function writeBlob(dir: string, content: Buffer): Promise<string> {
  return gitText(dir, ["hash-object", "-w", "--stdin"], { input: content });
}

export async function objectType(dir: string, sha: string): Promise<GitObjectType | null> {
  if (!/^[0-9a-f]{40}$/.test(sha)) return null;
  const result = await runGit(dir, ["cat-file", "-t", sha]);
  if (result.code !== 0) return null;
  return result.stdout.toString("utf8").trim() as GitObjectType;
}

export function readBlob(dir: string, sha: string): Promise<Buffer> {
  return git(dir, ["cat-file", "blob", sha]);
}

/** Resolves a revision (sha, branch, tag, `refs/...`) to a commit sha, or null. */
export async function resolveCommit(dir: string, rev: string): Promise<string | null> {
  if (rev.startsWith("-")) return null;
  const result = await runGit(dir, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
  return result.code === 0 ? result.stdout.toString("utf8").trim() : null;
}

export async function resolveTree(dir: string, rev: string): Promise<string | null> {
  if (rev.startsWith("-")) return null;
  const result = await runGit(dir, ["rev-parse", "--verify", "--quiet", `${rev}^{tree}`]);
  return result.code === 0 ? result.stdout.toString("utf8").trim() : null;
}

function parseLsTree(output: Buffer, withSize: boolean): GitTreeEntry[] {
  return output
    .toString("utf8")
    .split("\0")
    .filter((line) => line.length > 0)
    .map((line) => {
      const tab = line.indexOf("\t");
      const [mode = "", type = "", sha = "", size = "-"] = line.slice(0, tab).split(/ +/);
      const entry: GitTreeEntry = { path: line.slice(tab + 1), mode, type: type as GitTreeEntry["type"], sha };
      if (withSize && size !== "-") entry.size = Number(size);
      return entry;
    });
}

/** Lists a tree; `recursive` includes subtrees and their entries (like `ls-tree -r -t`). */
export async function listTree(dir: string, treeish: string, recursive: boolean): Promise<GitTreeEntry[]> {
  const args = ["ls-tree", "-z", "-l", ...(recursive ? ["-r", "-t"] : []), treeish];
  return parseLsTree(await git(dir, args), true);
}

/** The entry at `path` inside `treeish`, or null. */
export async function treeEntry(dir: string, treeish: string, path: string): Promise<GitTreeEntry | null> {
  const clean = path.replace(/^\/+|\/+$/g, "");
  if (clean === "") return null;
  const result = await runGit(dir, ["ls-tree", "-z", "-l", treeish, "--", clean]);
  if (result.code !== 0) return null;
  return parseLsTree(result.stdout, true).find((e) => e.path === clean) ?? null;
}

async function mkTree(
  dir: string,
  entries: { name: string; mode: string; type: string; sha: string }[],
): Promise<string> {
  const input = entries.map((e) => `${e.mode} ${e.type} ${e.sha}\t${e.name}\0`).join("");
  return gitText(dir, ["mktree", "-z", "--missing"], { input });
}

/**
 * Builds a tree from `baseTree` (or empty) plus `changes`, the way GitHub's
 * create-tree does: paths are full paths, a null sha deletes the path (a file
 * or a whole directory), and a tree entry grafts a subtree.
 */
export async function buildTree(dir: string, baseTree: string | null, changes: TreeChange[]): Promise<string> {
  const files = new Map<string, { mode: string; type: string; sha: string }>();
  if (baseTree) {
    const base = parseLsTree(await git(dir, ["ls-tree", "-z", "-r", baseTree]), false);
    for (const e of base) files.set(e.path, { mode: e.mode, type: e.type, sha: e.sha });
  }
  const removeUnder = (path: string) => {
    for (const key of [...files.keys()]) if (key === path || key.startsWith(`${path}/`)) files.delete(key);
  };
  for (const change of changes) {
    const path = change.path.replace(/^\/+|\/+$/g, "");
    removeUnder(path);
    if (change.sha === null) continue;
    if (change.type === "tree") {
      const sub = parseLsTree(await git(dir, ["ls-tree", "-z", "-r", change.sha]), false);
      for (const e of sub) files.set(`${path}/${e.path}`, { mode: e.mode, type: e.type, sha: e.sha });
      continue;
    }
    files.set(path, { mode: change.mode, type: change.type, sha: change.sha });
  }
  return writeNested(dir, files, "");
}

async function writeNested(
  dir: string,
  files: Map<string, { mode: string; type: string; sha: string }>,
  prefix: string,
): Promise<string> {
  const direct: { name: string; mode: string; type: string; sha: string }[] = [];
  const subdirs = new Set<string>();
  for (const [path, entry] of files) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf("/");
    if (slash === -1) direct.push({ name: rest, ...entry });
    else subdirs.add(rest.slice(0, slash));
  }
  for (const name of subdirs) {
    const sha = await writeNested(dir, files, `${prefix}${name}/`);
    direct.push({ name, mode: "040000", type: "tree", sha });
  }
  return mkTree(dir, direct);
}

function personEnv(kind: "AUTHOR" | "COMMITTER", person: GitPerson): Record<string, string> {
  return {
    [`GIT_${kind}_NAME`]: person.name,
    [`GIT_${kind}_EMAIL`]: person.email,
    [`GIT_${kind}_DATE`]: `@${Math.floor(Date.parse(person.date) / 1000)} +0000`,
  };
}

export function commitTree(
  dir: string,
  tree: string,
  parents: string[],
  message: string,
  author: GitPerson,
  committer: GitPerson,
): Promise<string> {
  const args = ["commit-tree", tree, ...parents.flatMap((p) => ["-p", p]), "-F", "-"];
  return gitText(dir, args, {
    input: message,
    env: { ...personEnv("AUTHOR", author), ...personEnv("COMMITTER", committer) },
  });
}

function parsePerson(value: string): GitPerson {
  const match = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(value);
  if (!match) return { name: value, email: "", date: new Date(0).toISOString() };
  return { name: match[1] ?? "", email: match[2] ?? "", date: isoSeconds(Number(match[3]) * 1000) };
}

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export async function readCommit(dir: string, sha: string): Promise<GitCommit> {
  const text = (await git(dir, ["cat-file", "commit", sha])).toString("utf8");
  const split = text.indexOf("\n\n");
  const headers = (split === -1 ? text : text.slice(0, split)).split("\n");
  const commit: GitCommit = {
    sha,
    tree: "",
    parents: [],
    author: parsePerson(""),
    committer: parsePerson(""),
    message: split === -1 ? "" : text.slice(split + 2),
  };
  for (const line of headers) {
    const space = line.indexOf(" ");
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === "tree") commit.tree = value;
    else if (key === "parent") commit.parents.push(value);
    else if (key === "author") commit.author = parsePerson(value);
    else if (key === "committer") commit.committer = parsePerson(value);
  }
  return commit;
}

export async function listRefs(dir: string): Promise<{ ref: string; sha: string }[]> {
  const out = await gitText(dir, ["for-each-ref", "--format=%(refname) %(objectname)"]);
  return out
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => {
      const [ref = "", sha = ""] = line.split(" ");
      return { ref, sha };
    });
}

const ZERO_SHA = "0".repeat(40);

/**
 * Moves a ref; with `expected` the move is atomic compare-and-swap (git's ref
 * lock): a sha that must still be current, or null for "must not exist yet".
 * Returns false when another writer got there first.
 */
export async function updateRef(dir: string, ref: string, sha: string, expected?: string | null): Promise<boolean> {
  const args = ["update-ref", ref, sha, ...(expected === undefined ? [] : [expected ?? ZERO_SHA])];
  const result = await runGit(dir, args);
  if (result.code === 0) return true;
  if (expected !== undefined) return false;
  throw new GitError(args, result.code, result.stderr);
}

export async function deleteRef(dir: string, ref: string): Promise<void> {
  await git(dir, ["update-ref", "-d", ref]);
}

export async function checkRefFormat(dir: string, ref: string): Promise<boolean> {
  return (await runGit(dir, ["check-ref-format", ref])).code === 0;
}

export async function isAncestor(dir: string, ancestor: string, descendant: string): Promise<boolean> {
  return (await runGit(dir, ["merge-base", "--is-ancestor", ancestor, descendant])).code === 0;
}

export async function mergeBase(dir: string, a: string, b: string): Promise<string | null> {
  const result = await runGit(dir, ["merge-base", a, b]);
  return result.code === 0 ? result.stdout.toString("utf8").trim() : null;
}

/** Commits reachable from `include` and not from `exclude`, oldest first, optionally touching `path`. */
export async function revList(dir: string, include: string, exclude: string | null, path?: string): Promise<string[]> {
  const args = ["rev-list", "--reverse", include, ...(exclude ? [`^${exclude}`] : []), ...(path ? ["--", path] : [])];
  const out = await gitText(dir, args);
  return out.split("\n").filter((line) => line.length > 0);
}

/** Paths changed by the commits `sha` brings that no ref has yet (each against its first parent). */
export async function newCommitPaths(dir: string, sha: string): Promise<string[]> {
  const commits = (await gitText(dir, ["rev-list", sha, "--not", "--all"])).split("\n").filter(Boolean);
  const paths = new Set<string>();
  for (const commit of commits) {
    const out = await gitText(dir, ["diff-tree", "-r", "--root", "--no-commit-id", "--name-only", "-z", commit]);
    for (const path of out.split("\0")) if (path) paths.add(path);
  }
  return [...paths];
}

const STATUS_NAMES: Record<string, ChangedFile["status"]> = { A: "added", D: "removed", M: "modified", T: "changed" };

/** Git's empty tree: diffs against it list a root commit's files as added. */
export const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/** Files changed between two commits (no rename detection, like a plain `git diff`). */
export async function changedFiles(dir: string, base: string, head: string): Promise<ChangedFile[]> {
  const raw = (await git(dir, ["diff", "--raw", "-z", "--no-renames", "--no-abbrev", base, head]))
    .toString("utf8")
    .split("\0");
  const counts = (await git(dir, ["diff", "--numstat", "-z", "--no-renames", base, head])).toString("utf8").split("\0");
  const stats = new Map<string, { additions: number; deletions: number }>();
  for (const line of counts) {
    const [add = "0", del = "0", file] = line.split("\t");
    if (file) stats.set(file, { additions: Number(add) || 0, deletions: Number(del) || 0 });
  }
  const files: ChangedFile[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const [, , oldSha = "", newSha = "", status = "M"] = (raw[i] ?? "").slice(1).split(" ");
    const filename = raw[i + 1] ?? "";
    const sha = status === "D" ? oldSha : newSha;
    files.push({
      filename,
      sha,
      status: STATUS_NAMES[status] ?? "modified",
      ...(stats.get(filename) ?? { additions: 0, deletions: 0 }),
    });
  }
  return files;
}

export async function diffText(dir: string, base: string, head: string): Promise<string> {
  return (await git(dir, ["diff", base, head])).toString("utf8");
}

/** Three-way merges two commits' trees; null when they conflict. */
export async function mergeTrees(dir: string, ours: string, theirs: string): Promise<string | null> {
  const result = await runGit(dir, ["merge-tree", "--write-tree", ours, theirs]);
  if (result.code !== 0) return null;
  return result.stdout.toString("utf8").split("\n")[0]?.trim() ?? null;
}
