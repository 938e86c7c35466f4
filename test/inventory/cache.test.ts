import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import {
  createMemoryInventoryCache,
  parseApkInstalled,
  parseDpkgStatus,
  type Inventory,
} from "../../src/inventory/index.js";
import { openStoreDir, STORE_FILE } from "../../src/store/index.js";
import { sharedText } from "./shared.js";

const apk: Inventory = {
  kind: "apk",
  packages: parseApkInstalled(sharedText("pkgdb/apk/alpine-scalibr.installed")).packages,
};
const dpkg: Inventory = {
  kind: "dpkg",
  packages: parseDpkgStatus(sharedText("pkgdb/dpkg/ubuntu-valid.status")).packages,
};
const digestA = `sha256:${"a".repeat(64)}`;
const digestB = `sha256:${"b".repeat(64)}`;

describe("createMemoryInventoryCache", () => {
  it("returns what was set and misses the rest", async () => {
    const cache = createMemoryInventoryCache();
    await cache.set(digestA, apk);
    expect(await cache.get(digestA)).toEqual(apk);
    expect(await cache.get(digestB)).toBeUndefined();
  });

  it("drops the least recently used entry past its size", async () => {
    const cache = createMemoryInventoryCache(2);
    await cache.set("d1", apk);
    await cache.set("d2", dpkg);
    await cache.get("d1");
    await cache.set("d3", { kind: "none", packages: [] });
    expect(await cache.get("d2")).toBeUndefined();
    expect(await cache.get("d1")).toEqual(apk);
    expect(await cache.get("d3")).toEqual({ kind: "none", packages: [] });
  });
});

describe("the store's inventories (SQLite)", () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "repin-inventory-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("keeps inventories across a restart (close and reopen the store)", async () => {
    const dir = dataDir();
    const first = await openStoreDir(dir);
    await first.inventories.set(digestA, apk);
    await first.inventories.set(digestB, dpkg);
    await first.close();
    const second = await openStoreDir(dir);
    expect(await second.inventories.get(digestA)).toEqual(apk);
    expect(await second.inventories.get(digestB)).toEqual(dpkg);
    expect(await second.inventories.get(`sha256:${"c".repeat(64)}`)).toBeUndefined();
    await second.close();
  });

  it("treats an entry as immutable: the first write for a digest stays", async () => {
    const store = await openStoreDir(dataDir());
    await store.inventories.set(digestA, apk);
    await store.inventories.set(digestA, { kind: "none", packages: [] });
    expect(await store.inventories.get(digestA)).toEqual(apk);
    await store.close();
  });

  it("reads a damaged row as a miss instead of throwing", async () => {
    const dir = dataDir();
    await (await openStoreDir(dir)).close();
    const raw = new Database(join(dir, STORE_FILE));
    raw.prepare("INSERT INTO inventories VALUES (?, ?, ?, ?)").run(digestA, "apk", "{not json", 0);
    raw.prepare("INSERT INTO inventories VALUES (?, ?, ?, ?)").run(digestB, "rpm", "[]", 0);
    raw.close();
    const store = await openStoreDir(dir);
    expect(await store.inventories.get(digestA)).toBeUndefined();
    expect(await store.inventories.get(digestB)).toBeUndefined();
    await store.close();
  });
});
