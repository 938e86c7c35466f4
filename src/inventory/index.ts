/**
 * What is installed in an image: the apk or dpkg database read from its layers (whiteouts
 * applied), each package manager's version order, the package diff of a bump, and a cache of
 * inventories by digest. Pure over bytes; fetching layers is the caller's job.
 */
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
export { createLayerCache, type LayerCache, type LayerChanges } from "./layer-cache.js";
