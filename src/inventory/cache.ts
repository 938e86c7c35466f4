import type { Inventory } from "./types.js";

/** Inventories by image digest. A digest names immutable content, so an entry never changes. */
export interface InventoryCache {
  get(digest: string): Promise<Inventory | undefined>;
  set(digest: string, inventory: Inventory): Promise<void>;
}

/** Keeps up to `maxEntries` inventories in memory, dropping the least recently used. */
export function createMemoryInventoryCache(maxEntries = 1000): InventoryCache {
  const entries = new Map<string, Inventory>();
  return {
    async get(digest) {
      const found = entries.get(digest);
      if (found === undefined) return undefined;
      entries.delete(digest);
      entries.set(digest, found);
      return found;
    },
    async set(digest, inventory) {
      entries.delete(digest);
      entries.set(digest, inventory);
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    },
  };
}
