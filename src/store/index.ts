/**
 * Everything repin must remember (SPEC 12) behind one interface: the reverse index, pending work and
 * (step by step) the rest of the App's state. One Kysely implementation for every dialect, versioned
 * migrations applied at start; SQLite in a data directory here (only this folder and
 * src/inventory-store load the native driver), PostgreSQL later through the same interface.
 */
export type { Store, UsageIndex, WorkQueueStore } from "./store.js";
export type { Enqueue, PendingWork, RepoKey, TagRef, TagUse, TagUser, WatchedTag } from "./types.js";
export { StoreError } from "./errors.js";
export { MIGRATION_NAMES } from "./migrations.js";
export { openSqliteStore, openStoreDir, STORE_FILE, type SqliteOptions, type SqliteStore } from "./sqlite.js";
export { kyselyStore } from "./kysely.js";
