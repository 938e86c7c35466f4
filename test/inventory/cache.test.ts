import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteInventoryCache } from "../../src/inventory-store/index.js";
import {
  createMemoryInventoryCache,
  parseApkInstalled,
  parseDpkgStatus,
  type Inventory,
} from "../../src/inventory/index.js";
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

describe("openSqliteInventoryCache", () => {
  const dirs: string[] = [];
  const dbFile = () => {
    const dir = mkdtempSync(join(tmpdir(), "repin-inventory-"));
    dirs.push(dir);
    return join(dir, "inventories.db");
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("keeps inventories across a restart (close and reopen the file)", async () => {
    const file = dbFile();
    const first = openSqliteInventoryCache(file);
    await first.set(digestA, apk);
    await first.set(digestB, dpkg);
    first.close();
    const second = openSqliteInventoryCache(file);
    expect(await second.get(digestA)).toEqual(apk);
    expect(await second.get(digestB)).toEqual(dpkg);
    expect(await second.get(`sha256:${"c".repeat(64)}`)).toBeUndefined();
    second.close();
  });

  it("treats an entry as immutable: the first write for a digest stays", async () => {
    const cache = openSqliteInventoryCache(dbFile());
    await cache.set(digestA, apk);
    await cache.set(digestA, { kind: "none", packages: [] });
    expect(await cache.get(digestA)).toEqual(apk);
    cache.close();
  });

  it("reads a damaged row as a miss instead of throwing", async () => {
    const file = dbFile();
    openSqliteInventoryCache(file).close();
    const raw = new Database(file);
    raw.prepare("INSERT INTO inventories VALUES (?, ?, ?, ?)").run(digestA, "apk", "{not json", 0);
    raw.prepare("INSERT INTO inventories VALUES (?, ?, ?, ?)").run(digestB, "rpm", "[]", 0);
    raw.close();
    const cache = openSqliteInventoryCache(file);
    expect(await cache.get(digestA)).toBeUndefined();
    expect(await cache.get(digestB)).toBeUndefined();
    cache.close();
  });
});
