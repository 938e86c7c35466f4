import type { Kysely } from "kysely";
import type { Database } from "./schema.js";
import type { UsageIndex } from "./store.js";
import type { RepoKey, TagRef, TagUse, TagUser, WatchedTag } from "./types.js";

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

export const repoKey = (repo: Pick<RepoKey, "owner" | "name">): string => `${repo.owner}/${repo.name}`.toLowerCase();

/** The reverse index over Kysely: the same queries on every dialect. */
export function kyselyUsageIndex(db: Kysely<Database>): UsageIndex {
  return {
    async replace(repo, uses) {
      const key = repoKey(repo);
      const rows = unique(uses).map((use) => ({
        repo_key: key,
        installation_id: repo.installationId,
        owner: repo.owner,
        name: repo.name,
        path: use.path,
        registry: use.registry,
        image: use.repository,
        tag: use.tag,
        pinned: use.pinned ?? null,
      }));
      const digests = new Map(
        uses
          .filter((use) => use.digest !== null)
          .map((use) => [`${use.registry}/${use.repository}:${use.tag}`, use] as const),
      );
      const now = Date.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("tag_uses").where("repo_key", "=", key).execute();
        for (let at = 0; at < rows.length; at += CHUNK)
          await trx
            .insertInto("tag_uses")
            .values(rows.slice(at, at + CHUNK))
            .execute();
        const known = [...digests.values()].map((use) => ({
          registry: use.registry,
          image: use.repository,
          tag: use.tag,
          digest: use.digest!,
          recorded_at: now,
        }));
        for (let at = 0; at < known.length; at += CHUNK)
          await trx
            .insertInto("tag_digests")
            .values(known.slice(at, at + CHUNK))
            .onConflict((conflict) => conflict.columns(["registry", "image", "tag"]).doNothing())
            .execute();
      });
    },

    async usersOf(tag) {
      return byRepository(await usesOf(db, tag).execute());
    },

    async pinnedBehind(tag, digest) {
      return byRepository(
        await usesOf(db, tag).where("pinned", "is not", null).where("pinned", "<>", digest).execute(),
      );
    },

    async watched() {
      return watchedTags(db);
    },

    async digestOf(tag) {
      return (
        (
          await watchedTags(db, (query) =>
            query
              .where("tag_uses.registry", "=", tag.registry)
              .where("tag_uses.image", "=", tag.repository)
              .where("tag_uses.tag", "=", tag.tag),
          )
        )[0] ?? null
      );
    },

    async recordDigest(tag, digest, at) {
      await db
        .insertInto("tag_digests")
        .values({ registry: tag.registry, image: tag.repository, tag: tag.tag, digest, recorded_at: at })
        .onConflict((conflict) =>
          conflict.columns(["registry", "image", "tag"]).doUpdateSet({ digest, recorded_at: at }),
        )
        .execute();
    },
  };
}

/** The rows of one tag, by repository and path. */
function usesOf(db: Kysely<Database>, tag: TagRef) {
  return db
    .selectFrom("tag_uses")
    .select(["repo_key", "installation_id", "owner", "name", "path"])
    .where("registry", "=", tag.registry)
    .where("image", "=", tag.repository)
    .where("tag", "=", tag.tag)
    .orderBy("repo_key")
    .orderBy("path");
}

function byRepository(
  rows: readonly { repo_key: string; installation_id: number; owner: string; name: string; path: string }[],
): TagUser[] {
  const users = new Map<string, TagUser & { paths: string[] }>();
  for (const row of rows) {
    const user = users.get(row.repo_key);
    if (user) user.paths.push(row.path);
    else
      users.set(row.repo_key, {
        installationId: Number(row.installation_id),
        owner: row.owner,
        name: row.name,
        paths: [row.path],
      });
  }
  return [...users.values()];
}

type WatchedQuery = ReturnType<typeof watchedQuery>;

function watchedQuery(db: Kysely<Database>) {
  return db
    .selectFrom("tag_uses")
    .leftJoin("tag_digests", (join) =>
      join
        .onRef("tag_digests.registry", "=", "tag_uses.registry")
        .onRef("tag_digests.image", "=", "tag_uses.image")
        .onRef("tag_digests.tag", "=", "tag_uses.tag"),
    )
    .select(["tag_uses.registry", "tag_uses.image", "tag_uses.tag", "tag_digests.digest", "tag_digests.recorded_at"])
    .distinct()
    .orderBy("tag_uses.registry")
    .orderBy("tag_uses.image")
    .orderBy("tag_uses.tag");
}

/** Each used tag once with its recorded digest; `narrow` picks some. */
async function watchedTags(
  db: Kysely<Database>,
  narrow: (query: WatchedQuery) => WatchedQuery = (query) => query,
): Promise<WatchedTag[]> {
  const rows = await narrow(watchedQuery(db)).execute();
  return rows.map((row) => ({
    registry: row.registry,
    repository: row.image,
    tag: row.tag,
    digest: row.digest,
    recordedAt: row.recorded_at === null ? null : Number(row.recorded_at),
  }));
}

function unique(uses: readonly TagUse[]): TagUse[] {
  const seen = new Map<string, TagUse>();
  for (const use of uses) seen.set(JSON.stringify([use.path, use.registry, use.repository, use.tag]), use);
  return [...seen.values()];
}
