import type { Kysely, Migration } from "kysely";

/**
 * The watch's upkeep (SPEC 11, 12): the digest each file pins (so advisory news rescans only the
 * repositories pinned behind a tag's current digest), and the advisory feeds' last copies with
 * their validators (so a restart revalidates a feed with If-None-Match instead of downloading it).
 */
export const watchUpkeep: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("tag_uses").addColumn("pinned", "text").execute();
    await db.schema
      .createTable("feed_copies")
      .addColumn("url", "text", (c) => c.primaryKey())
      .addColumn("etag", "text")
      .addColumn("last_modified", "text")
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("stored_at", "bigint", (c) => c.notNull())
      .execute();
  },
};
