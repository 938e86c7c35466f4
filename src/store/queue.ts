import type { Kysely, Selectable } from "kysely";
import type { Database } from "./schema.js";
import type { WorkQueueStore } from "./store.js";
import type { PendingWork } from "./types.js";
import { repoKey } from "./usages.js";

/** Pending work over Kysely: one row per repository, the same queries on every dialect. */
export function kyselyWorkQueue(db: Kysely<Database>): WorkQueueStore {
  return {
    async enqueue(work) {
      const row = await db
        .insertInto("pending_work")
        .values({
          repo_key: repoKey(work),
          installation_id: work.installationId,
          owner: work.owner,
          name: work.name,
          reason: work.reason,
          first_seen_at: work.firstSeenAt,
          attempts: 0,
          not_before: work.notBefore ?? work.firstSeenAt,
          version: 1,
        })
        .onConflict((conflict) =>
          conflict.column("repo_key").doUpdateSet((eb) => ({
            version: eb("pending_work.version", "+", 1),
            // The oldest upstream change is what the latency is measured from.
            first_seen_at: eb
              .case()
              .when("excluded.first_seen_at", "<", eb.ref("pending_work.first_seen_at"))
              .then(eb.ref("excluded.first_seen_at"))
              .else(eb.ref("pending_work.first_seen_at"))
              .end(),
          })),
        )
        .returning("version")
        .executeTakeFirstOrThrow();
      return Number(row.version) === 1;
    },

    async due(now, limit) {
      const rows = await db
        .selectFrom("pending_work")
        .selectAll()
        .where("not_before", "<=", now)
        .orderBy("first_seen_at")
        .orderBy("repo_key")
        .limit(limit)
        .execute();
      return rows.map(toPendingWork);
    },

    async retry(work, notBefore) {
      await db
        .updateTable("pending_work")
        .set((eb) => ({ attempts: eb("attempts", "+", 1), not_before: notBefore }))
        .where("repo_key", "=", repoKey(work))
        .execute();
    },

    async complete(work) {
      const result = await db
        .deleteFrom("pending_work")
        .where("repo_key", "=", repoKey(work))
        .where("version", "=", work.version)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

function toPendingWork(row: Selectable<Database["pending_work"]>): PendingWork {
  return {
    installationId: Number(row.installation_id),
    owner: row.owner,
    name: row.name,
    reason: row.reason,
    firstSeenAt: Number(row.first_seen_at),
    attempts: Number(row.attempts),
    notBefore: Number(row.not_before),
    version: Number(row.version),
  };
}
