import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { StoreError } from "./errors.js";
import { kyselyStore } from "./kysely.js";
import { migrate } from "./migrations.js";
import type { Database as Schema } from "./schema.js";
import type { Store } from "./store.js";

/** The store's file in a data directory. */
export const STORE_FILE = "repin.sqlite";

export interface SqliteStore extends Store {
  /** The migrations this start applied (none when the schema was up to date). */
  readonly applied: readonly string[];
}

export interface SqliteOptions {
  /** How long a start waits for a lock held by another process before failing (ms; default 2000). */
  readonly busyTimeoutMs?: number;
  /** SQLite's `max_page_count`: a database that may not grow past it (tests use it as a full disk). */
  readonly maxPageCount?: number;
}

/** The store in `dir` (created if missing): `<dir>/repin.sqlite`. */
export async function openStoreDir(dir: string, options: SqliteOptions = {}): Promise<SqliteStore> {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new StoreError(`the data directory ${dir} cannot be created: ${(error as Error).message}`, { cause: error });
  }
  return openSqliteStore(join(dir, STORE_FILE), options);
}

/**
 * Opens (creating it if missing) and migrates the SQLite store at `path` (`:memory:` for tests). The
 * file is held exclusively while open (one App per data directory); one that is not a repin store,
 * is damaged or is locked stops the start with an error naming it, and is left as it was.
 */
export async function openSqliteStore(path: string, options: SqliteOptions = {}): Promise<SqliteStore> {
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(path, { timeout: options.busyTimeoutMs ?? 2000 });
    sqlite.pragma("locking_mode = EXCLUSIVE");
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    if (options.maxPageCount !== undefined) sqlite.pragma(`max_page_count = ${Math.floor(options.maxPageCount)}`);
    // Takes the exclusive lock now, so a second App on the same file stops here and not mid-cycle.
    sqlite.exec("BEGIN IMMEDIATE; COMMIT");
    const check = sqlite.pragma("quick_check", { simple: true });
    if (check !== "ok") throw new StoreError(`the store at ${path} is damaged (${String(check)})`);
  } catch (error) {
    sqlite?.close();
    throw openError(path, error);
  }
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    const applied = await migrate(db as Kysely<unknown>, path);
    return { ...kyselyStore(db, path), applied };
  } catch (error) {
    await db.destroy();
    throw error instanceof StoreError ? error : openError(path, error);
  }
}

/** What went wrong, in words that name the file and what to do; the file itself is never touched. */
function openError(path: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const what =
    code === "SQLITE_BUSY" || code === "SQLITE_LOCKED"
      ? "is locked by another process (is another repin running on the same REPIN_DATA_DIR?)"
      : code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT"
        ? "is not a repin store or is damaged; repin leaves it as it is: restore a backup, or move it away to start afresh"
        : `cannot be opened (${message})`;
  return new StoreError(`the store at ${path} ${what}`, { cause: error });
}
