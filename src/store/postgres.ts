import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from "kysely";
import pg from "pg";
import { StoreError } from "./errors.js";
import { kyselyStore } from "./kysely.js";
import { migrate } from "./migrations.js";
import type { Database as Schema } from "./schema.js";
import type { Store } from "./store.js";

export interface PostgresStore extends Store {
  /** The migrations this start applied (none when the schema was up to date, or another replica applied them). */
  readonly applied: readonly string[];
}

export interface PostgresOptions {
  /** Connections the store keeps at most (default 10). */
  readonly poolSize?: number;
  /** How long a connection attempt may take before the operation fails (ms; default 5000). */
  readonly connectTimeoutMs?: number;
}

/** int8 (bigint columns: times in ms, installation ids) read as numbers; every value repin writes fits in 2^53. */
const INT8 = 20;

/**
 * Opens the PostgreSQL store at `url` (`postgres://user:password@host:port/database`) and brings its
 * schema up to date: the same migrations and the same Store as SQLite. Replicas that start at once
 * take turns (Kysely's Migrator holds an advisory lock on PostgreSQL), so each migration is applied once. A
 * database that cannot be reached fails the operation with a StoreError naming it (never its
 * password); the pool connects again when it is back.
 */
export async function openPostgresStore(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
  const location = redactUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    types: { getTypeParser: (oid, format) => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format)) },
  });
  // An idle connection the server closes (restart, failover) is dropped from the pool, not a crash.
  pool.on("error", () => undefined);
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: reporting(pool, location) }) });
  try {
    const applied = await migrate(db as Kysely<unknown>, location);
    return { ...kyselyStore(db, location), applied };
  } catch (error) {
    await db.destroy();
    throw error instanceof StoreError ? error : unreachable(location, error);
  }
}

/** The URL without its password, for the start line and errors. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "the PostgreSQL database (REPIN_DATABASE_URL does not parse as a URL)";
  }
}

/** The pool as Kysely sees it, with errors of a database that went away turned into a StoreError naming it. */
function reporting(pool: pg.Pool, location: string): PostgresPool {
  const listened = new WeakSet<pg.PoolClient>();
  return {
    async connect() {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw unreachable(location, error);
      }
      // A connection that breaks between statements reports it on the next one, not as a crash.
      if (!listened.has(client)) {
        listened.add(client);
        client.on("error", () => undefined);
      }
      const query = (sql: string, parameters: readonly unknown[]) => client.query(sql, parameters as unknown[]);
      let broken = false;
      return {
        query: (async (sql: string, parameters: readonly unknown[]) => {
          try {
            return await query(sql, parameters);
          } catch (error) {
            if (!isConnectionError(error)) throw error;
            broken = true;
            throw unreachable(location, error);
          }
        }) as unknown as PostgresPoolClient["query"],
        // A connection that broke is destroyed, not handed out again.
        release: () => client.release(broken),
      };
    },
    end: () => pool.end(),
  };
}

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND"]);

/** Errors of the connection, not the statement: the server is down, restarting, or out of reach. */
export function isConnectionError(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  const message = error instanceof Error ? error.message : String(error);
  return (
    CONNECTION_CODES.has(code) ||
    code.startsWith("08") ||
    code === "57P01" ||
    code === "57P02" ||
    code === "57P03" ||
    /Connection terminated|connection error|timeout expired|Client was closed/i.test(message)
  );
}

function unreachable(location: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreError(
    `the database at ${location} cannot be reached (${reason}); the work is retried when it is back`,
    {
      cause: error,
    },
  );
}
