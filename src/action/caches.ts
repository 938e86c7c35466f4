import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Inventory, InventoryCache } from "../inventory/index.js";

/**
 * What the Action keeps between runs beside its state file, in the `cache/` folder next to it (the
 * folder the workflow restores with actions/cache): the registry's content cache (manifests and
 * config blobs by digest, tag lists with their ETag: the CLI's disk cache) and image inventories
 * by digest (the package lists PR bodies compare), so a run after one that read everything costs
 * one HEAD per unique tag and reads no layer again. Deleting the folder only costs requests.
 */
export interface CacheDirs {
  readonly registry: string;
  readonly inventories: string;
}

export function cacheDirs(statePath: string): CacheDirs {
  const root = join(dirname(statePath), "cache");
  return { registry: join(root, "registry"), inventories: join(root, "inventories") };
}

/**
 * `memory` (the run's store) in front of one JSON file per entry under `dir`. An inventory is
 * derived from layers whose digests were checked when they were read; an entry that does not read
 * as one is ignored (the image is read again and the entry rewritten). Writes go to a random
 * temporary name renamed into place, so concurrent runs never see half an entry; a cache that
 * cannot be written is a cache that is empty.
 */
export function diskInventoryCache(dir: string, memory: InventoryCache): InventoryCache {
  const pathOf = (key: string) => join(dir, `${createHash("sha256").update(key).digest("hex")}.json`);
  return {
    async get(key) {
      const known = await memory.get(key);
      if (known) return known;
      const found = await readEntry(pathOf(key), key);
      if (found) await memory.set(key, found);
      return found;
    },
    async set(key, inventory) {
      await memory.set(key, inventory);
      const target = pathOf(key);
      const temporary = `${target}.${randomBytes(6).toString("hex")}.tmp`;
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(temporary, JSON.stringify({ key, inventory }), { flag: "wx" });
        await rename(temporary, target);
      } catch {
        await unlink(temporary).catch(() => undefined);
      }
    },
  };
}

async function readEntry(path: string, key: string): Promise<Inventory | undefined> {
  try {
    const entry = JSON.parse(await readFile(path, "utf8")) as { key?: unknown; inventory?: unknown };
    return entry.key === key && isInventory(entry.inventory) ? entry.inventory : undefined;
  } catch {
    return undefined;
  }
}

const OPTIONAL_TEXT = ["source", "sourceVersion", "arch"] as const;

function isInventory(value: unknown): value is Inventory {
  if (typeof value !== "object" || value === null) return false;
  const { kind, packages } = value as { kind?: unknown; packages?: unknown };
  if (kind !== "apk" && kind !== "dpkg" && kind !== "none") return false;
  return (
    Array.isArray(packages) &&
    packages.every((item: unknown) => {
      if (typeof item !== "object" || item === null) return false;
      const pkg = item as Record<string, unknown>;
      return (
        typeof pkg.name === "string" &&
        typeof pkg.version === "string" &&
        OPTIONAL_TEXT.every((field) => pkg[field] === undefined || typeof pkg[field] === "string")
      );
    })
  );
}
