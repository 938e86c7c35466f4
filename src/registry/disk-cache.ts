import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { repositoryKey } from "../reference/index.js";
import type { RepositoryName } from "./types.js";

/** Bytes a registry served under a digest (a manifest or a config blob), as they came. */
export interface CachedContent {
  readonly mediaType: string | null;
  readonly body: Buffer;
}

/** A tag list and the `ETag` it came with, asked again with `If-None-Match`. */
export interface CachedTagList {
  readonly etag: string;
  readonly tags: readonly string[];
}

/**
 * What the client keeps between runs (the CLI's disk cache). Content is keyed by repository and
 * digest: the client re-checks the digest of every body it reads back, so a corrupt or planted
 * entry is never trusted, only fetched again and overwritten. Reads and writes never fail: a
 * cache that cannot be read or written is a cache that is empty.
 */
export interface ContentCache {
  readContent(name: RepositoryName, digest: string): Promise<CachedContent | null>;
  writeContent(name: RepositoryName, digest: string, content: CachedContent): Promise<void>;
  readTagList(name: RepositoryName): Promise<CachedTagList | null>;
  writeTagList(name: RepositoryName, list: CachedTagList): Promise<void>;
}

/** `$REPIN_CACHE_DIR`, else `$XDG_CACHE_HOME/repin`, else `~/.cache/repin` (the XDG default). */
export function cacheDirFromEnv(env: NodeJS.ProcessEnv): string {
  if (env.REPIN_CACHE_DIR) return env.REPIN_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "repin");
  return join(env.HOME || homedir(), ".cache", "repin");
}

/**
 * One JSON file per entry under `<dir>/v1/`, named by a hash of what it holds. Writes go to a
 * random temporary name and are renamed into place, so concurrent runs never see half an entry,
 * and the last writer of the same content wins with the same bytes. Deleting the directory at any
 * time only costs requests.
 */
export function diskCache(dir: string): ContentCache {
  const root = join(dir, "v1");
  const pathOf = (key: string) => join(root, `${createHash("sha256").update(key).digest("hex")}.json`);
  const read = async (key: string): Promise<Record<string, unknown> | null> => {
    try {
      const parsed = JSON.parse(await readFile(pathOf(key), "utf8")) as unknown;
      return typeof parsed === "object" && parsed !== null && (parsed as { key?: unknown }).key === key
        ? (parsed as Record<string, unknown>)
        : null;
    } catch {
      return null;
    }
  };
  const write = async (key: string, value: Record<string, unknown>): Promise<void> => {
    const target = pathOf(key);
    const temporary = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await mkdir(root, { recursive: true });
      await writeFile(temporary, JSON.stringify({ key, ...value }), { flag: "wx" });
      await rename(temporary, target);
    } catch {
      await unlink(temporary).catch(() => undefined);
    }
  };
  const contentKey = (name: RepositoryName, digest: string) => `content ${repositoryKey(name)}@${digest}`;
  const listKey = (name: RepositoryName) => `tags ${repositoryKey(name)}`;
  return {
    async readContent(name, digest) {
      const entry = await read(contentKey(name, digest));
      if (typeof entry?.body !== "string") return null;
      const mediaType = typeof entry.mediaType === "string" ? entry.mediaType : null;
      return { mediaType, body: Buffer.from(entry.body, "base64") };
    },
    writeContent: (name, digest, content) =>
      write(contentKey(name, digest), { mediaType: content.mediaType, body: content.body.toString("base64") }),
    async readTagList(name) {
      const entry = await read(listKey(name));
      const { etag, tags } = entry ?? {};
      if (typeof etag !== "string" || !Array.isArray(tags) || !tags.every((tag) => typeof tag === "string"))
        return null;
      return { etag, tags: tags as string[] };
    },
    writeTagList: (name, list) => write(listKey(name), { etag: list.etag, tags: list.tags }),
  };
}
