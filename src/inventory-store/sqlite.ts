import Database from "better-sqlite3";
import type { Inventory, InventoryCache } from "../inventory/index.js";

export interface SqliteInventoryCache extends InventoryCache {
  close(): void;
}

/**
 * Inventories kept in a SQLite file, so a restart does not read layers again. Rows are
 * written once (a digest's content never changes); a row that no longer parses reads as a miss.
 */
export function openSqliteInventoryCache(path: string): SqliteInventoryCache {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.exec(`CREATE TABLE IF NOT EXISTS inventories (
    digest TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    packages TEXT NOT NULL,
    stored_at INTEGER NOT NULL
  )`);
  const select = db.prepare<[string], { kind: string; packages: string }>(
    "SELECT kind, packages FROM inventories WHERE digest = ?",
  );
  const insert = db.prepare(
    "INSERT OR IGNORE INTO inventories (digest, kind, packages, stored_at) VALUES (?, ?, ?, ?)",
  );
  return {
    async get(digest) {
      const row = select.get(digest);
      return row ? toInventory(row) : undefined;
    },
    async set(digest, inventory) {
      insert.run(digest, inventory.kind, JSON.stringify(inventory.packages), Date.now());
    },
    close() {
      db.close();
    },
  };
}

function toInventory(row: { kind: string; packages: string }): Inventory | undefined {
  if (row.kind !== "apk" && row.kind !== "dpkg" && row.kind !== "none") return undefined;
  try {
    const packages: unknown = JSON.parse(row.packages);
    return Array.isArray(packages) ? { kind: row.kind, packages } : undefined;
  } catch {
    return undefined;
  }
}
