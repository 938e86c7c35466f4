import type { Kysely } from "kysely";
import { kyselyBlobs, kyselyFirstSeen, kyselyInventories, kyselyRepositories } from "./memory-tables.js";
import { kyselyPacing } from "./pacing.js";
import { kyselyWorkQueue } from "./queue.js";
import { kyselyRecent, kyselyRecords } from "./records-table.js";
import type { Database } from "./schema.js";
import type { Store } from "./store.js";
import { kyselyUsageIndex } from "./usages.js";

/** The Store over a migrated Kysely database: dialect-agnostic, so SQLite and PostgreSQL share it. */
export function kyselyStore(db: Kysely<Database>, location: string): Store {
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
    recent: (kind, ttlMs) => kyselyRecent(db, kind, ttlMs),
    close: () => db.destroy(),
  };
}
