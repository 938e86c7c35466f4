import pg from "pg";
import { describe, expect, it } from "vitest";
import { startPostgres } from "../support/postgres/index.js";

describe("the test PostgreSQL", () => {
  it("serves fresh databases on loopback behind a password, and serves them again after a pause", async () => {
    const cluster = await startPostgres();
    const url = await cluster.database();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ user: string }>("select current_user as user");
    expect(rows[0]?.user).toBe("repin");
    await client.end();
    await cluster.pause();
    await expect(new pg.Client({ connectionString: url }).connect()).rejects.toThrow(/ECONNREFUSED/);
    await cluster.resume();
    const again = new pg.Client({ connectionString: url });
    await again.connect();
    await again.end();
    await expect(new pg.Client({ connectionString: url.replace(cluster.password, "wrong") }).connect()).rejects.toThrow(
      /password authentication failed/,
    );
    await cluster.stop();
  });
});
