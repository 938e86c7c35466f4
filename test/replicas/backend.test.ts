import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openBackend } from "../../src/app/backend.js";
import { STORE_FILE } from "../../src/store/index.js";
import { usePostgres } from "../support/postgres/index.js";

const cluster = usePostgres();

describe("the backend the environment picks", () => {
  it("is SQLite in REPIN_DATA_DIR by default, scanning its cycle in this process", async () => {
    const dir = mkdtempSync(join(tmpdir(), "repin-backend-"));
    try {
      const backend = await openBackend({ REPIN_DATA_DIR: dir });
      expect([backend.kind, backend.store.location, backend.sharesCycle]).toEqual([
        "sqlite",
        join(dir, STORE_FILE),
        false,
      ]);
      await backend.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is PostgreSQL with REPIN_DATABASE_URL, named without its password, sharing the cycle", async () => {
    const url = await cluster().database();
    const backend = await openBackend({ REPIN_DATABASE_URL: url, REPIN_DATA_DIR: "/nonexistent/never-created" });
    expect([backend.kind, backend.store.location, backend.sharesCycle]).toEqual([
      "postgres",
      url.replace(cluster().password, "***"),
      true,
    ]);
    await backend.close();
  });

  it("refuses a URL that is not PostgreSQL's without repeating it", async () => {
    const opening = openBackend({ REPIN_DATABASE_URL: "mysql://repin:hunter2@db/repin" });
    await expect(opening).rejects.toThrow("REPIN_DATABASE_URL must be a postgres:// or postgresql:// URL");
    await expect(opening).rejects.not.toThrow(/hunter2/);
  });
});
