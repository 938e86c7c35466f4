/** What is installed in an image: OS package databases read from layers, their versions and diffs. */
export * from "./versions/index.js";
export type { DatabaseKind, DatabaseProblem, InstalledPackage, Inventory, ParsedDatabase } from "./types.js";
export { parseApkInstalled } from "./apk-db.js";
export { parseDpkgStatus } from "./dpkg-db.js";
export { diffPackages, type PackageDiff, type VersionChange } from "./diff.js";
export {
  readPackageDatabase,
  type LayerFailureReason,
  type LayerSource,
  type PackageDatabaseResult,
  type ReadLimits,
} from "./layers.js";
export { createMemoryInventoryCache, type InventoryCache } from "./cache.js";
export { openSqliteInventoryCache, type SqliteInventoryCache } from "./sqlite-cache.js";
