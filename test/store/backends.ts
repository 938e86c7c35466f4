import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { openStoreDir, type Store } from "../../src/store/index.js";
import { openPostgresStore } from "../../src/store/postgres.js";
import { usePostgres } from "../support/postgres/index.js";

/** A place a store lives (a data directory, a database): each `open()` is one App start on it. */
export type StorePlace = () => Promise<Store & { readonly applied: readonly string[] }>;

export interface StoreBackend {
  readonly name: string;
  /** A fresh, empty place; stores opened on it are closed after each test. */
  place(): Promise<StorePlace>;
  /** A fresh store (closed after the test). */
  open(): Promise<Store>;
}

/**
 * The store tests run on both backends: SQLite in a temporary data directory, PostgreSQL in a fresh
 * database of this file's cluster. Call at the top level of a test file.
 */
export function storeBackends(): readonly StoreBackend[] {
  const cluster = usePostgres();
  const open: Store[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const tracked =
    <S extends Store>(opener: () => Promise<S>) =>
    async (): Promise<S> => {
      const store = await opener();
      open.push(store);
      return store;
    };
  const backend = (name: string, place: () => Promise<StorePlace>): StoreBackend => ({
    name,
    place,
    open: async () => (await place())(),
  });
  return [
    backend("SQLite", async () => {
      const dir = mkdtempSync(join(tmpdir(), "repin-store-"));
      dirs.push(dir);
      return tracked(() => openStoreDir(dir));
    }),
    backend("PostgreSQL", async () => {
      const url = await cluster().database();
      return tracked(() => openPostgresStore(url));
    }),
  ];
}
