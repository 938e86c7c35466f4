import { describe, expect, it } from "vitest";
import { MIGRATION_NAMES, StoreError, type Store } from "../../src/store/index.js";
import { openPostgresStore } from "../../src/store/postgres.js";
import { usePostgres } from "../support/postgres/index.js";

const node = { registry: "docker.io", repository: "library/node", tag: "22" };
const web = { installationId: 7, owner: "acme", name: "web" };

const cluster = usePostgres();

describe("the PostgreSQL store", () => {
  it("applies each migration once when two replicas start at the same moment", async () => {
    const url = await cluster().database();
    const stores = await Promise.all([openPostgresStore(url), openPostgresStore(url), openPostgresStore(url)]);
    try {
      expect(stores.flatMap((store) => store.applied).sort()).toEqual([...MIGRATION_NAMES].sort());
      // Each replica reads what another wrote.
      await stores[0]!.usages.replace(web, [{ ...node, path: "Dockerfile", digest: null }]);
      expect(await stores[2]!.usages.usersOf(node)).toEqual([{ ...web, paths: ["Dockerfile"] }]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it("names the database without its password", async () => {
    const url = await cluster().database();
    const store = await openPostgresStore(url);
    await store.close();
    expect(store.location).not.toContain(cluster().password);
    expect(store.location).toBe(url.replace(cluster().password, "***"));
  });

  it("stops the start with a clear error when the database cannot be reached, and never shows the password", async () => {
    const url = cluster().url("no_such_database");
    const opening = openPostgresStore(url);
    await expect(opening).rejects.toThrow(StoreError);
    await expect(opening).rejects.toThrow(
      /the database at postgres:\/\/repin:\*\*\*@127\.0\.0\.1:\d+\/no_such_database/,
    );
    await expect(opening).rejects.not.toThrow(cluster().password);
  });
});

describe("a database that goes away", () => {
  it("fails the work with a clear error, loses nothing written, and works again once it is back", async () => {
    const url = await cluster().database();
    const store: Store = await openPostgresStore(url, { connectTimeoutMs: 1_000 });
    try {
      await store.usages.replace(web, [{ ...node, path: "Dockerfile", digest: "sha256:a" }]);
      await store.queue.enqueue({ ...web, reason: "tag moved", firstSeenAt: 1_000 });
      const many = Array.from({ length: 3_000 }, (_, i) => ({ ...node, path: `svc${i}/Dockerfile`, digest: null }));
      // The server stops while a large scan is being recorded.
      const recording = store.usages.replace(web, many).then(
        () => "written",
        (error: unknown) => error,
      );
      await cluster().pause();
      const during = await recording;
      await expect(store.usages.usersOf(node)).rejects.toThrow(StoreError);
      await expect(store.queue.enqueue({ ...web, reason: "again", firstSeenAt: 2_000 })).rejects.toThrow(
        /the database at postgres:\/\/repin:\*\*\*@.* cannot be reached/,
      );

      await cluster().resume();
      // The scan was recorded whole or not at all; what was written before is there.
      const paths = (await store.usages.usersOf(node))[0]?.paths ?? [];
      expect(during === "written" ? paths.length : paths).toEqual(during === "written" ? 3_000 : ["Dockerfile"]);
      if (during !== "written") expect(during).toBeInstanceOf(StoreError);
      expect(await store.queue.due(10_000, 10)).toMatchObject([{ ...web, reason: "tag moved", firstSeenAt: 1_000 }]);
      await store.usages.replace(web, many);
      expect((await store.usages.usersOf(node))[0]?.paths).toHaveLength(3_000);
    } finally {
      await store.close();
    }
  });
});
