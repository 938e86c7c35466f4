import type { Kysely } from "kysely";
import type { Database } from "./schema.js";
import type { Recent, Remembered } from "./store.js";

/** Small JSON records of one kind (check states, listing pages, dashboards, verdicts). */
export function kyselyRecords<T>(db: Kysely<Database>, kind: string): Remembered<T> {
  return {
    async get(key) {
      const row = await db
        .selectFrom("records")
        .select("value")
        .where("kind", "=", kind)
        .where("key", "=", key)
        .executeTakeFirst();
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    async put(key, value) {
      const row = { value: JSON.stringify(value), updated_at: Date.now() };
      await db
        .insertInto("records")
        .values({ kind, key, ...row })
        .onConflict((conflict) => conflict.columns(["kind", "key"]).doUpdateSet(row))
        .execute();
    },
    async delete(key) {
      await db.deleteFrom("records").where("kind", "=", kind).where("key", "=", key).execute();
    },
  };
}

/**
 * Keys of one kind seen within `ttlMs` (delivery ids, refusals). One statement decides, so two
 * replicas handed the same key cannot both see it as new; expired keys are dropped as new ones come.
 */
export function kyselyRecent(db: Kysely<Database>, kind: string, ttlMs: number): Recent {
  return {
    async first(key, now) {
      await db
        .deleteFrom("recent_keys")
        .where("kind", "=", kind)
        .where("seen_at", "<=", now - ttlMs)
        .execute();
      const row = await db
        .insertInto("recent_keys")
        .values({ kind, key, seen_at: now })
        .onConflict((conflict) =>
          conflict
            .columns(["kind", "key"])
            .doUpdateSet({ seen_at: now })
            .where("recent_keys.seen_at", "<=", now - ttlMs),
        )
        .returning("seen_at")
        .executeTakeFirst();
      return row !== undefined;
    },
    async forget(key) {
      await db.deleteFrom("recent_keys").where("kind", "=", kind).where("key", "=", key).execute();
    },
  };
}
