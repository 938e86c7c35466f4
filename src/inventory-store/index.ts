/**
 * Inventories kept in a SQLite file (better-sqlite3): the adapter behind src/inventory's
 * `InventoryCache`, so a restart does not read layers again. Only this folder loads the native driver.
 */
export { openSqliteInventoryCache, type SqliteInventoryCache } from "./sqlite.js";
