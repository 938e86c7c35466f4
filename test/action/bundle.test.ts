import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ACTION_BUNDLE, buildAction, NATIVE } from "../../scripts/build-action.js";

const dir = await mkdtemp(join(tmpdir(), "repin-bundle-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the committed Action bundle", () => {
  it("is what `npm run build:action` builds from the sources now (rebuild it and commit when this fails)", async () => {
    const fresh = join(dir, "index.mjs");
    await buildAction(fresh);
    const [built, committed] = await Promise.all([readFile(fresh, "utf8"), readFile(ACTION_BUNDLE, "utf8")]);
    expect(built === committed, "action/index.mjs is stale: run `npm run build:action` and commit it").toBe(true);
  });

  it("reaches no native module: neither better-sqlite3 nor any .node addon is in its import graph", async () => {
    const metafile = await buildAction(join(dir, "graph.mjs"));
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((input) => input.includes("src/action/main.ts"))).toBe(true);
    expect(inputs.filter((input) => NATIVE.test(input) || input.includes("src/store/sqlite"))).toEqual([]);
    // The rule itself catches the App's SQLite store, which imports better-sqlite3.
    expect(NATIVE.test("node_modules/better-sqlite3/lib/index.js")).toBe(true);
  });

  it("refuses to build an entry that reaches better-sqlite3", async () => {
    const sqliteStore = fileURLToPath(new URL("../../src/store/sqlite.ts", import.meta.url));
    await expect(buildAction(join(dir, "native.mjs"), sqliteStore)).rejects.toThrow(/native modules/);
  });
});
