import { randomBytes } from "node:crypto";
import { lstat, open, readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { isIgnoredDirectory } from "../dockerfile/index.js";
import { MAX_FILE_BYTES } from "../lookup/index.js";
import type { FileChange, SourceFile } from "../plan/index.js";

export interface LocalFiles {
  readonly files: SourceFile[];
  /** Files that match but were not read, with the reason (too large). */
  readonly unread: { path: string; reason: string }[];
}

/** Walks DIR for files the filter accepts; never follows symbolic links. */
export async function readLocalFiles(root: string, accepts: (path: string) => boolean): Promise<LocalFiles> {
  const files: SourceFile[] = [];
  const unread: { path: string; reason: string }[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const absolute = join(dir, entry.name);
      const path = relative(root, absolute).split(sep).join("/");
      if (entry.isDirectory()) {
        if (!isIgnoredDirectory(entry.name)) await walk(absolute);
        continue;
      }
      if (!entry.isFile() || !accepts(path)) continue;
      await readOne(absolute, path, { files, unread });
    }
  };
  await walk(root);
  return { files, unread };
}

/** One file named on the command line, read whatever its name (the user chose it). */
export async function readLocalFile(absolute: string, path: string): Promise<LocalFiles> {
  const found: LocalFiles = { files: [], unread: [] };
  await readOne(absolute, path, found);
  return found;
}

async function readOne(absolute: string, path: string, into: LocalFiles): Promise<void> {
  const { size } = await lstat(absolute);
  if (size > MAX_FILE_BYTES) {
    into.unread.push({ path, reason: `file is larger than 1 MiB (${size} bytes); not read` });
    return;
  }
  const text = decodeText(await readFile(absolute));
  if (text === null)
    into.unread.push({ path, reason: "not UTF-8 text; not read, so it cannot be rewritten without loss" });
  else into.files.push({ path, content: text });
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The file's text, or null when its bytes are not UTF-8 (rewriting them would change bytes repin never meant to). */
function decodeText(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Writes each file beside itself and renames it into place, so a crash never leaves half a Dockerfile.
 * The temporary name is random and created exclusively (`wx`): a symbolic link or file planted there
 * makes the open fail instead of being written through.
 */
export async function writeChanges(root: string, changes: readonly FileChange[]): Promise<void> {
  for (const change of changes) {
    const target = join(root, change.path);
    const temporary = join(dirname(target), `.${basename(target)}.repin-${randomBytes(8).toString("hex")}.tmp`);
    const { mode } = await stat(target);
    const handle = await open(temporary, "wx", mode & 0o7777);
    try {
      await handle.writeFile(change.after);
      await handle.close();
      await rename(temporary, target);
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }
}
