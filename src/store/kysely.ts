import type { Kysely } from "kysely";
import { kyselyBlobs, kyselyFirstSeen, kyselyInventories, kyselyRepositories } from "./memory-tables.js";
import { kyselyPacing } from "./pacing.js";
import { kyselyWorkQueue } from "./queue.js";
import { kyselyRecent, kyselyRecords } from "./records-table.js";
import type { Database } from "./schema.js";
import type { Store } from "./store.js";
import { kyselyFeedCopies, kyselyPrune } from "./upkeep.js";
import { kyselyUsageIndex } from "./usages.js";

/** The Store over a migrated Kysely database: dialect-agnostic, so SQLite and PostgreSQL share it. */
export function kyselyStore(db: Kysely<Database>, location: string): Store {
  // Each kind's time as this process uses it, for pruning.
  const ttls = new Map<string, number>();
  return {
    location,
    usages: kyselyUsageIndex(db),
    queue: kyselyWorkQueue(db),
    repositories: kyselyRepositories(db),
    blobs: kyselyBlobs(db),
    firstSeen: kyselyFirstSeen(db),
    checks: kyselyRecords(db, "check"),
    listings: kyselyRecords(db, "listing"),
    dashboards: kyselyRecords(db, "dashboard"),
    verdicts: kyselyRecords(db, "verdict"),
    inventories: kyselyInventories(db),
    pacing: kyselyPacing(db),
    feeds: kyselyFeedCopies(db),
    recent: (kind, ttlMs) => {
      ttls.set(kind, Math.max(ttlMs, ttls.get(kind) ?? 0));
      return kyselyRecent(db, kind, ttlMs);
    },
    prune: (now) => kyselyPrune(db, ttls, now),
    close: () => db.destroy(),
  };
}
