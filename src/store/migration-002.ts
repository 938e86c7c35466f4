import type { Kysely } from "kysely";
import type { Migration } from "kysely";

/** Everything else the App remembers: repositories, blobs, first sightings, small records, recent keys, inventories. */
export const rememberEverything: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("repositories")
      .addColumn("repo_key", "text", (c) => c.primaryKey())
      .addColumn("state", "text", (c) => c.notNull())
      .addColumn("settled", "text")
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("blobs")
      .addColumn("sha", "text", (c) => c.primaryKey())
      .addColumn("text", "text")
      .addColumn("unread", "text")
      .execute();
    await db.schema
      .createTable("first_seen")
      .addColumn("sighting", "text", (c) => c.primaryKey())
      .addColumn("seen_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("records")
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("key", "text", (c) => c.notNull())
      .addColumn("value", "text", (c) => c.notNull())
      .addColumn("updated_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("records_pk", ["kind", "key"])
      .execute();
    await db.schema
      .createTable("recent_keys")
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("key", "text", (c) => c.notNull())
      .addColumn("seen_at", "bigint", (c) => c.notNull())
      .addPrimaryKeyConstraint("recent_keys_pk", ["kind", "key"])
      .execute();
    await db.schema.createIndex("recent_keys_by_age").on("recent_keys").columns(["kind", "seen_at"]).execute();
    await db.schema
      .createTable("inventories")
      .addColumn("digest", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("packages", "text", (c) => c.notNull())
      .addColumn("stored_at", "bigint", (c) => c.notNull())
      .execute();
  },
};
