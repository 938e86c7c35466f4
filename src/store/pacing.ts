import { sql, type Kysely, type Migration } from "kysely";
import type { Database } from "./schema.js";
import type { WritePacing } from "./store.js";

/**
 * Write slots over Kysely: one row per scope (an installation) holding when its next slot is free.
 * One INSERT … ON CONFLICT DO UPDATE … RETURNING takes a slot atomically on SQLite and PostgreSQL,
 * so replicas sharing the database never hand out two slots closer than the interval.
 */
export function kyselyPacing(db: Kysely<Database>): WritePacing {
  return {
    async take(scope, now, intervalMs) {
      const row = await db
        .insertInto("write_slots")
        .values({ scope, next_at: now + intervalMs })
        .onConflict((conflict) =>
          conflict.column("scope").doUpdateSet((eb) => ({
            next_at: sql<number>`(case when ${eb.ref("write_slots.next_at")} > ${now} then ${eb.ref("write_slots.next_at")} else ${now} end) + ${intervalMs}`,
          })),
        )
        .returning("next_at")
        .executeTakeFirstOrThrow();
      return Number(row.next_at) - intervalMs;
    },
  };
}

/** 004: the write slots of SPEC 9's pacing toward GitHub, shared by every replica. */
export const writeSlots: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("write_slots")
      .addColumn("scope", "text", (c) => c.primaryKey())
      .addColumn("next_at", "bigint", (c) => c.notNull())
      .execute();
  },
};
