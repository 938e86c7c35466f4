// Fast seeding for benches: writes each repository's bare git directory from
// Node (HEAD, config, loose objects, one ref) instead of running `git` several
// times per repository, then hands it to the simulator with `adoptRepo`.
// The objects are git's own (SHA-1 of "<type> <len>\0<body>", zlib-deflated),
// so every route, and real `git`, reads them like any other repository.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import type { GitHubSimulator } from "./simulator.js";

export interface SeedRepo {
  name: string;
  /** Path → content; paths may be nested (`services/api/Dockerfile`). */
  files: Record<string, string>;
}

export interface SeedOptions {
  installationId?: number;
  defaultBranch?: string;
  /** Commit time (default now; the simulator's advanceTime offset is not applied). */
  date?: Date;
}

export interface GitObject {
  sha: string;
  /** The loose-object file's bytes. */
  deflated: Buffer;
}

/** A git object as a loose object: its sha and the deflated "<type> <len>\0<body>". */
export function gitObject(type: "blob" | "tree" | "commit", body: Buffer): GitObject {
  const framed = Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]);
  return { sha: createHash("sha1").update(framed).digest("hex"), deflated: deflateSync(framed) };
}

interface Entry {
  name: string;
  mode: "100644" | "40000";
  sha: string;
}

/** Git orders tree entries by name, comparing a subtree's name as if it ended in "/". */
function treeBody(entries: Entry[]): Buffer {
  const key = (e: Entry) => (e.mode === "40000" ? `${e.name}/` : e.name);
  const sorted = [...entries].sort((a, b) => Buffer.compare(Buffer.from(key(a)), Buffer.from(key(b))));
  return Buffer.concat(sorted.flatMap((e) => [Buffer.from(`${e.mode} ${e.name}\0`), Buffer.from(e.sha, "hex")]));
}

/** Every object of a one-commit repository holding `files`, and the commit's sha. */
export function initialCommit(
  files: Record<string, string>,
  author: string,
  date: Date,
  blobs: Map<string, GitObject> = new Map(),
): { head: string; objects: GitObject[] } {
  const objects: GitObject[] = [];
  const writeTree = (paths: [string, string][]): string => {
    const entries: Entry[] = [];
    const subdirs = new Map<string, [string, string][]>();
    for (const [path, content] of paths) {
      const slash = path.indexOf("/");
      if (slash === -1) {
        const blob = blobs.get(content) ?? gitObject("blob", Buffer.from(content, "utf8"));
        blobs.set(content, blob);
        objects.push(blob);
        entries.push({ name: path, mode: "100644", sha: blob.sha });
        continue;
      }
      const dir = path.slice(0, slash);
      subdirs.set(dir, [...(subdirs.get(dir) ?? []), [path.slice(slash + 1), content]]);
    }
    for (const [name, inner] of subdirs) entries.push({ name, mode: "40000", sha: writeTree(inner) });
    const tree = gitObject("tree", treeBody(entries));
    objects.push(tree);
    return tree.sha;
  };
  const tree = writeTree(Object.entries(files).map(([path, content]) => [path.replace(/^\/+/, ""), content]));
  const person = `${author} <${author}@users.noreply.github.com> ${Math.floor(date.getTime() / 1000)} +0000`;
  const commit = gitObject(
    "commit",
    Buffer.from(`tree ${tree}\nauthor ${person}\ncommitter ${person}\n\nInitial commit\n`),
  );
  objects.push(commit);
  return { head: commit.sha, objects };
}

/** Writes a bare repository at `dir` with `objects` and `branch` at `head`. */
export function writeBareRepo(dir: string, branch: string, head: string, objects: GitObject[]): void {
  mkdirSync(join(dir, "refs", "heads"), { recursive: true });
  mkdirSync(join(dir, "refs", "tags"), { recursive: true });
  writeFileSync(join(dir, "HEAD"), `ref: refs/heads/${branch}\n`);
  writeFileSync(join(dir, "config"), "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n");
  for (const object of objects) {
    const folder = join(dir, "objects", object.sha.slice(0, 2));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, object.sha.slice(2)), object.deflated);
  }
  writeFileSync(join(dir, "refs", "heads", branch), `${head}\n`);
}

/** Creates `repos` under `owner` with one initial commit each; returns their ids and head shas. */
export function seedRepos(
  sim: GitHubSimulator,
  owner: string,
  repos: SeedRepo[],
  options: SeedOptions = {},
): { name: string; id: number; headSha: string }[] {
  const branch = options.defaultBranch ?? "main";
  const date = options.date ?? new Date();
  const blobs = new Map<string, GitObject>();
  return repos.map((repo) => {
    const { head, objects } = initialCommit(repo.files, owner, date, blobs);
    writeBareRepo(sim.repoDir(owner, repo.name), branch, head, objects);
    const { id } = sim.adoptRepo(owner, repo.name, { defaultBranch: branch, installationId: options.installationId });
    return { name: repo.name, id, headSha: head };
  });
}
