import type { Kysely } from "kysely";
import type { Database } from "./schema.js";
import type { FeedCopyStore, PruneReport } from "./store.js";

/**
 * Recent keys of a kind this process never asked about are dropped after this long: longer than
 * any time the App keeps a key (delivery ids: 3 days).
 */
export const RECENT_KEYS_HORIZON_MS = 30 * 24 * 3_600_000;

/** Advisory feeds' last copies by URL, one row each, replaced by each download. */
export function kyselyFeedCopies(db: Kysely<Database>): FeedCopyStore {
  return {
    async get(url) {
      const row = await db
        .selectFrom("feed_copies")
        .select(["etag", "last_modified", "body"])
        .where("url", "=", url)
        .executeTakeFirst();
      return row ? { etag: row.etag, lastModified: row.last_modified, body: row.body } : undefined;
    },
    async put(url, copy) {
      const row = { etag: copy.etag, last_modified: copy.lastModified, body: copy.body, stored_at: Date.now() };
      await db
        .insertInto("feed_copies")
        .values({ url, ...row })
        .onConflict((conflict) => conflict.column("url").doUpdateSet(row))
        .execute();
    },
  };
}

/** Deletes digests of tags no repository uses, and recent keys past their kind's time (`ttls`, else the horizon). */
export async function kyselyPrune(
  db: Kysely<Database>,
  ttls: ReadonlyMap<string, number>,
  now: number,
): Promise<PruneReport> {
  const digests = await db
    .deleteFrom("tag_digests")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("tag_uses")
            .select("tag_uses.repo_key")
            .whereRef("tag_uses.registry", "=", "tag_digests.registry")
            .whereRef("tag_uses.image", "=", "tag_digests.image")
            .whereRef("tag_uses.tag", "=", "tag_digests.tag"),
        ),
      ),
    )
    .executeTakeFirst();
  let recentKeys = 0;
  for (const [kind, ttl] of ttls) {
    const deleted = await db
      .deleteFrom("recent_keys")
      .where("kind", "=", kind)
      .where("seen_at", "<=", now - ttl)
      .executeTakeFirst();
    recentKeys += Number(deleted.numDeletedRows);
  }
  let others = db.deleteFrom("recent_keys").where("seen_at", "<=", now - RECENT_KEYS_HORIZON_MS);
  if (ttls.size > 0) others = others.where("kind", "not in", [...ttls.keys()]);
  recentKeys += Number((await others.executeTakeFirst()).numDeletedRows);
  return { tagDigests: Number(digests.numDeletedRows), recentKeys };
}
