import type { Kysely } from "kysely";
import { Migrator, type Migration } from "kysely";
import { StoreError } from "./errors.js";
import { rememberEverything } from "./migration-002.js";
import { watchUpkeep } from "./migration-003.js";
import { writeSlots } from "./pacing.js";

/**
 * Versioned migrations, applied in name order at start; Kysely's Migrator records each applied name
 * in `repin_migrations` (and takes a lock on PostgreSQL), so a second start applies nothing. Only
 * portable types and Kysely's schema builder: the same list runs on SQLite and PostgreSQL. Never edit
 * a migration that shipped; add the next one.
 */
const migrations: Record<string, Migration> = {
  "001-reverse-index-and-queue": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("tag_uses")
        .addColumn("repo_key", "text", (c) => c.notNull())
        .addColumn("installation_id", "bigint", (c) => c.notNull())
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("path", "text", (c) => c.notNull())
        .addColumn("registry", "text", (c) => c.notNull())
        .addColumn("image", "text", (c) => c.notNull())
        .addColumn("tag", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("tag_uses_pk", ["repo_key", "path", "registry", "image", "tag"])
        .execute();
      await db.schema.createIndex("tag_uses_by_tag").on("tag_uses").columns(["registry", "image", "tag"]).execute();
      await db.schema
        .createTable("tag_digests")
        .addColumn("registry", "text", (c) => c.notNull())
        .addColumn("image", "text", (c) => c.notNull())
        .addColumn("tag", "text", (c) => c.notNull())
        .addColumn("digest", "text", (c) => c.notNull())
        .addColumn("recorded_at", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("tag_digests_pk", ["registry", "image", "tag"])
        .execute();
      await db.schema
        .createTable("pending_work")
        .addColumn("repo_key", "text", (c) => c.primaryKey())
        .addColumn("installation_id", "bigint", (c) => c.notNull())
        .addColumn("owner", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("first_seen_at", "bigint", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull())
        .addColumn("not_before", "bigint", (c) => c.notNull())
        .addColumn("version", "integer", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("pending_work_due").on("pending_work").columns(["not_before"]).execute();
    },
  },
  "002-remember-everything": rememberEverything,
  "003-watch-upkeep": watchUpkeep,
  "004-write-slots": writeSlots,
};

export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations).sort();

/** Brings the schema up to date; the names applied now (none when it already was). */
export async function migrate(db: Kysely<unknown>, location: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: "repin_migrations",
    migrationLockTableName: "repin_migrations_lock",
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === "Error")?.migrationName;
    throw new StoreError(
      `the store at ${location} could not be migrated${failed ? ` (${failed})` : ""}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return results.filter((result) => result.status === "Success").map((result) => result.migrationName);
}
