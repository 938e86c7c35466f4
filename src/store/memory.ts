import type { Inventory } from "../inventory/index.js";
import type { BlobContent, RepoRecord } from "./records.js";
import type { FeedCopy, Recent, Remembered, Store } from "./store.js";
import { RECENT_KEYS_HORIZON_MS } from "./upkeep.js";
import type { PendingWork, TagUse, TagUser, WatchedTag } from "./types.js";
import { repoKey } from "./usages.js";

/**
 * The Store in process memory, with the SQLite store's semantics (values are copied in and out, as
 * JSON would): for a run that keeps nothing (the GitHub Action, whose bundle carries no native
 * module; import this file, not the folder's index) and for tests of logic above the store.
 */
export interface MemoryStore extends Store {
  /** Every first sighting, for a caller that keeps them elsewhere between runs (the Action's state file). */
  sightings(): Map<string, number>;
}

const copy = <T>(value: T): T => structuredClone(value);

function records<T>(): Remembered<T> {
  const map = new Map<string, T>();
  return {
    get: async (key) => (map.has(key) ? copy(map.get(key) as T) : undefined),
    put: async (key, value) => void map.set(key, copy(value)),
    delete: async (key) => void map.delete(key),
  };
}

export function createMemoryStore(location = "memory (nothing kept)"): MemoryStore {
  const uses = new Map<string, { repo: TagUser; uses: readonly TagUse[] }>();
  const digests = new Map<string, { digest: string; at: number }>();
  const pending = new Map<string, PendingWork>();
  const repositories = new Map<string, RepoRecord>();
  const blobs = new Map<string, BlobContent>();
  const firstSeen = new Map<string, number>();
  const recents = new Map<string, Map<string, number>>();
  const inventories = new Map<string, Inventory>();
  const slots = new Map<string, number>();
  const feeds = new Map<string, FeedCopy>();
  const ttls = new Map<string, number>();
  const tagKey = (tag: { registry: string; repository: string; tag: string }) =>
    `${tag.registry}/${tag.repository}:${tag.tag}`;
  /** The repositories with files whose use passes `test`, sorted, each with those files. */
  const usersWhere = (test: (use: TagUse) => boolean): TagUser[] =>
    [...uses.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([, entry]) => {
        const paths = [...new Set(entry.uses.filter(test).map((use) => use.path))];
        const { installationId, owner, name } = entry.repo;
        return paths.length > 0 ? [{ installationId, owner, name, paths: paths.sort() }] : [];
      });
  return {
    location,
    usages: {
      async replace(repo, found) {
        uses.set(repoKey(repo), { repo: { ...repo, paths: [] }, uses: copy(found) });
        for (const use of found)
          if (use.digest !== null && !digests.has(tagKey(use)))
            digests.set(tagKey(use), { digest: use.digest, at: Date.now() });
      },
      usersOf: async (tag) => usersWhere((use) => tagKey(use) === tagKey(tag)),
      pinnedBehind: async (tag, digest) =>
        usersWhere((use) => tagKey(use) === tagKey(tag) && (use.pinned ?? null) !== null && use.pinned !== digest),
      async digestOf(tag) {
        return (await this.watched()).find((known) => tagKey(known) === tagKey(tag)) ?? null;
      },
      async watched() {
        const tags = new Map<string, WatchedTag>();
        for (const entry of uses.values())
          for (const { registry, repository, tag } of entry.uses) {
            const known = digests.get(tagKey({ registry, repository, tag }));
            tags.set(tagKey({ registry, repository, tag }), {
              registry,
              repository,
              tag,
              digest: known?.digest ?? null,
              recordedAt: known?.at ?? null,
            });
          }
        return [...tags.values()];
      },
      async recordDigest(tag, digest, at) {
        digests.set(tagKey(tag), { digest, at });
      },
    },
    queue: {
      async enqueue(work) {
        const key = repoKey(work);
        const known = pending.get(key);
        if (known) {
          pending.set(key, {
            ...known,
            version: known.version + 1,
            firstSeenAt: Math.min(known.firstSeenAt, work.firstSeenAt),
          });
          return false;
        }
        const { installationId, owner, name, reason, firstSeenAt } = work;
        const notBefore = work.notBefore ?? firstSeenAt;
        pending.set(key, { installationId, owner, name, reason, firstSeenAt, attempts: 0, notBefore, version: 1 });
        return true;
      },
      async due(now, limit) {
        return [...pending.values()]
          .filter((work) => work.notBefore <= now)
          .sort((a, b) => a.firstSeenAt - b.firstSeenAt || repoKey(a).localeCompare(repoKey(b)))
          .slice(0, limit);
      },
      async retry(work, notBefore) {
        const known = pending.get(repoKey(work));
        if (known) pending.set(repoKey(work), { ...known, attempts: known.attempts + 1, notBefore });
      },
      async complete(work) {
        if (pending.get(repoKey(work))?.version !== work.version) return false;
        pending.delete(repoKey(work));
        return true;
      },
    },
    repositories: {
      get: async (key) => (repositories.has(key) ? copy(repositories.get(key)) : undefined),
      put: async (key, record) => void repositories.set(key, copy(record)),
      async settle(key, fingerprint) {
        const known = repositories.get(key);
        if (known) repositories.set(key, { ...known, settled: fingerprint });
      },
    },
    blobs: {
      get: async (shas) => new Map(shas.flatMap((sha) => (blobs.has(sha) ? [[sha, blobs.get(sha)!] as const] : []))),
      put: async (sha, content) => void (blobs.has(sha) || blobs.set(sha, content)),
    },
    firstSeen: {
      get: async (keys) =>
        new Map(keys.flatMap((key) => (firstSeen.has(key) ? [[key, firstSeen.get(key)!] as const] : []))),
      async record(sightings) {
        for (const [key, at] of sightings) if (!firstSeen.has(key)) firstSeen.set(key, at);
      },
    },
    checks: records(),
    listings: records(),
    dashboards: records(),
    verdicts: records(),
    inventories: {
      get: async (digest) => inventories.get(digest),
      set: async (digest, inventory) => void (inventories.has(digest) || inventories.set(digest, inventory)),
    },
    pacing: {
      async take(scope, now, intervalMs) {
        const slot = Math.max(slots.get(scope) ?? now, now);
        slots.set(scope, slot + intervalMs);
        return slot;
      },
    },
    feeds: {
      get: async (url) => (feeds.has(url) ? copy(feeds.get(url)) : undefined),
      put: async (url, feed) => void feeds.set(url, copy(feed)),
    },
    async prune(now) {
      const used = new Set([...uses.values()].flatMap((entry) => entry.uses.map(tagKey)));
      let tagDigests = 0;
      for (const key of digests.keys()) if (!used.has(key) && digests.delete(key)) tagDigests++;
      let recentKeys = 0;
      for (const [kind, seen] of recents) {
        const ttl = ttls.get(kind) ?? RECENT_KEYS_HORIZON_MS;
        for (const [key, at] of seen) if (at <= now - ttl && seen.delete(key)) recentKeys++;
      }
      return { tagDigests, recentKeys };
    },
    recent(kind, ttlMs): Recent {
      ttls.set(kind, Math.max(ttlMs, ttls.get(kind) ?? 0));
      const seen = recents.get(kind) ?? new Map<string, number>();
      recents.set(kind, seen);
      return {
        async first(key, now) {
          const at = seen.get(key);
          if (at !== undefined && now - at < ttlMs) return false;
          seen.set(key, now);
          return true;
        },
        forget: async (key) => void seen.delete(key),
      };
    },
    sightings: () => new Map(firstSeen),
    close: async () => undefined,
  };
}
