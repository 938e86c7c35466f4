/**
 * Everything repin must remember (SPEC 12) behind one interface: the reverse index, pending work and
 * the rest of the App's state: repositories as last read, blobs by SHA, minimumAge's first
 * sightings, check states, listing pages, dashboards, verdicts, recent delivery ids, inventories. One Kysely implementation for every dialect, versioned
 * migrations applied at start; SQLite in a data directory here (only this folder loads the
 * native driver), PostgreSQL later through the same interface.
 */
export type {
  BlobStore,
  FeedCopy,
  FeedCopyStore,
  FirstSeenStore,
  PruneReport,
  InventoryStore,
  Recent,
  Remembered,
  RepositoryStore,
  Store,
  UsageIndex,
  WorkQueueStore,
  WritePacing,
} from "./store.js";
export type { BlobContent, DashboardRecord, ListingPage, RepoRecord } from "./records.js";
export type { Enqueue, PendingWork, RepoKey, TagRef, TagUse, TagUser, WatchedTag } from "./types.js";
export { StoreError } from "./errors.js";
export { MIGRATION_NAMES } from "./migrations.js";
export { openSqliteStore, openStoreDir, STORE_FILE, type SqliteOptions, type SqliteStore } from "./sqlite.js";
export { kyselyStore } from "./kysely.js";
export { RECENT_KEYS_HORIZON_MS } from "./upkeep.js";
