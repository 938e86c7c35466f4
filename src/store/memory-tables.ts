import type { Kysely } from "kysely";
import type { Inventory } from "../inventory/index.js";
import type { BlobContent, RepoRecord } from "./records.js";
import type { Database } from "./schema.js";
import type { BlobStore, FirstSeenStore, InventoryStore, RepositoryStore } from "./store.js";

/** Keys per `IN (…)` list: well under every dialect's bound-parameter limit. */
const CHUNK = 500;

export function kyselyRepositories(db: Kysely<Database>): RepositoryStore {
  return {
    async get(key) {
      const row = await db
        .selectFrom("repositories")
        .select(["state", "settled"])
        .where("repo_key", "=", key)
        .executeTakeFirst();
      return row ? { ...(JSON.parse(row.state) as Omit<RepoRecord, "settled">), settled: row.settled } : undefined;
    },
    async put(key, record) {
      const { settled, ...rest } = record;
      const row = { state: JSON.stringify(rest), settled, updated_at: Date.now() };
      await db
        .insertInto("repositories")
        .values({ repo_key: key, ...row })
        .onConflict((conflict) => conflict.column("repo_key").doUpdateSet(row))
        .execute();
    },
    async settle(key, fingerprint) {
      await db.updateTable("repositories").set({ settled: fingerprint }).where("repo_key", "=", key).execute();
    },
  };
}

export function kyselyBlobs(db: Kysely<Database>): BlobStore {
  return {
    async get(shas) {
      const found = new Map<string, BlobContent>();
      const unique = [...new Set(shas)];
      for (let at = 0; at < unique.length; at += CHUNK) {
        const rows = await db
          .selectFrom("blobs")
          .selectAll()
          .where("sha", "in", unique.slice(at, at + CHUNK))
          .execute();
        for (const row of rows)
          found.set(row.sha, row.text !== null ? { text: row.text } : { unread: row.unread ?? "not read" });
      }
      return found;
    },
    async put(sha, content) {
      const row = "text" in content ? { text: content.text, unread: null } : { text: null, unread: content.unread };
      await db
        .insertInto("blobs")
        .values({ sha, ...row })
        .onConflict((conflict) => conflict.column("sha").doNothing())
        .execute();
    },
  };
}

export function kyselyFirstSeen(db: Kysely<Database>): FirstSeenStore {
  return {
    async get(sightings) {
      const found = new Map<string, number>();
      const unique = [...new Set(sightings)];
      for (let at = 0; at < unique.length; at += CHUNK) {
        const rows = await db
          .selectFrom("first_seen")
          .selectAll()
          .where("sighting", "in", unique.slice(at, at + CHUNK))
          .execute();
        for (const row of rows) found.set(row.sighting, Number(row.seen_at));
      }
      return found;
    },
    async record(sightings) {
      const rows = [...sightings].map(([sighting, at]) => ({ sighting, seen_at: at }));
      for (let at = 0; at < rows.length; at += CHUNK)
        await db
          .insertInto("first_seen")
          .values(rows.slice(at, at + CHUNK))
          .onConflict((conflict) => conflict.column("sighting").doNothing())
          .execute();
    },
  };
}

/** Inventories by image digest; a row is written once (a digest's content never changes), one that no longer parses is a miss. */
export function kyselyInventories(db: Kysely<Database>): InventoryStore {
  return {
    async get(digest) {
      const row = await db
        .selectFrom("inventories")
        .select(["kind", "packages"])
        .where("digest", "=", digest)
        .executeTakeFirst();
      return row ? toInventory(row) : undefined;
    },
    async set(digest, inventory) {
      await db
        .insertInto("inventories")
        .values({
          digest,
          kind: inventory.kind,
          packages: JSON.stringify(inventory.packages),
          stored_at: Date.now(),
        })
        .onConflict((conflict) => conflict.column("digest").doNothing())
        .execute();
    },
  };
}

function toInventory(row: { kind: string; packages: string }): Inventory | undefined {
  if (row.kind !== "apk" && row.kind !== "dpkg" && row.kind !== "none") return undefined;
  try {
    const packages: unknown = JSON.parse(row.packages);
    return Array.isArray(packages) ? { kind: row.kind, packages } : undefined;
  } catch {
    return undefined;
  }
}
