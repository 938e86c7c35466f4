import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore, openStoreDir, STORE_FILE, StoreError, type Store } from "../../src/store/index.js";

const node = { registry: "docker.io", repository: "library/node", tag: "22" };
const web = { installationId: 7, owner: "acme", name: "web" };

const open: Store[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "repin-store-"));
  dirs.push(dir);
  return dir;
}

describe("a store file repin cannot use", () => {
  it("stops the start naming a file that is not a database, and leaves its bytes alone", async () => {
    const dir = tempDir();
    const file = join(dir, STORE_FILE);
    const bytes = "these are somebody's notes, not a database\n".repeat(200);
    writeFileSync(file, bytes);
    const opening = openStoreDir(dir);
    await expect(opening).rejects.toThrow(StoreError);
    await expect(opening).rejects.toThrow(`the store at ${file} is not a repin store or is damaged`);
    expect(readFileSync(file, "utf8")).toBe(bytes);
  });

  it("stops the start naming a store whose pages are damaged", async () => {
    const dir = tempDir();
    const store = await openStoreDir(dir);
    const uses = Array.from({ length: 3_000 }, (_, i) => ({ ...node, path: `svc${i}/Dockerfile`, digest: null }));
    await store.usages.replace(web, uses);
    await store.close();
    const file = join(dir, STORE_FILE);
    const damaged = readFileSync(file);
    // Past the header: the schema still reads, the index and table pages do not.
    damaged.fill(0xa5, 8192, damaged.length - 4096);
    writeFileSync(file, damaged);
    await expect(openStoreDir(dir)).rejects.toThrow(new RegExp(`^the store at ${file} is (damaged|not a repin store)`));
  });

  it("stops a second App on the same data directory, naming the locked file", async () => {
    const dir = tempDir();
    const first = await openStoreDir(dir);
    open.push(first);
    await expect(openStoreDir(dir, { busyTimeoutMs: 100 })).rejects.toThrow(
      `the store at ${join(dir, STORE_FILE)} is locked by another process`,
    );
    // The first App goes on.
    await first.queue.enqueue({ ...web, reason: "a", firstSeenAt: 1 });
    expect(await first.queue.due(1, 1)).toHaveLength(1);
  });

  it("names a data directory that cannot be created", async () => {
    const file = join(tempDir(), "a-file");
    writeFileSync(file, "");
    await expect(openStoreDir(join(file, ".repin"))).rejects.toThrow(`the data directory ${join(file, ".repin")}`);
  });
});

describe("a full disk", () => {
  it("fails the write and keeps what was there: nothing half-written is read back", async () => {
    const store = await openSqliteStore(":memory:", { maxPageCount: 40 });
    open.push(store);
    await store.usages.replace(web, [{ ...node, path: "Dockerfile", digest: "sha256:a" }]);
    const many = Array.from({ length: 5_000 }, (_, i) => ({ ...node, path: `svc${i}/Dockerfile`, digest: null }));
    await expect(store.usages.replace(web, many)).rejects.toThrow(/full/);
    expect(await store.usages.usersOf(node)).toEqual([{ ...web, paths: ["Dockerfile"] }]);
    // Still usable for writes that fit.
    await store.usages.replace(web, many.slice(0, 3));
    expect((await store.usages.usersOf(node))[0]?.paths).toHaveLength(3);
  });
});
