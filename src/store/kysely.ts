import type { Kysely } from "kysely";
import { kyselyWorkQueue } from "./queue.js";
import type { Database } from "./schema.js";
import type { Store } from "./store.js";
import { kyselyUsageIndex } from "./usages.js";

/** The Store over a migrated Kysely database: dialect-agnostic, so SQLite and PostgreSQL share it. */
export function kyselyStore(db: Kysely<Database>, location: string): Store {
  return {
    location,
    usages: kyselyUsageIndex(db),
    queue: kyselyWorkQueue(db),
    close: () => db.destroy(),
  };
}
