import { lstat, readFile, readdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { pushImage, startRegistry, type TestRegistry } from "../support/registry/index.js";
import { repin, workspace } from "./harness.js";

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => registry?.stop());

it("apply never writes through a symbolic link planted at a temporary name", async () => {
  const old = await pushImage(registry, "team/link", "1", { created: "2026-03-01T00:00:00Z" });
  const current = await pushImage(registry, "team/link", "1", { created: "2026-03-02T00:00:00Z" });
  const dir = await workspace({ Dockerfile: `FROM ${registry.host}/team/link:1@${old.digest}\n` });
  const outside = await workspace({ "victim.txt": "precious\n" });
  // The name apply used to write to: `<file>.repin-<pid>.tmp`, predictable by anyone who can write the directory.
  await symlink(join(outside, "victim.txt"), join(dir, `Dockerfile.repin-${process.pid}.tmp`));

  const result = await repin(["apply", dir]);

  expect(result.code).toBe(0);
  expect(await readFile(join(outside, "victim.txt"), "utf8")).toBe("precious\n");
  expect(await readFile(join(dir, "Dockerfile"), "utf8")).toBe(`FROM ${registry.host}/team/link:1@${current.digest}\n`);
  expect((await lstat(join(dir, "Dockerfile"))).isFile()).toBe(true);
  // Only the planted link is left beside the file: no temporary file of apply's own.
  expect((await readdir(dir)).sort()).toEqual(["Dockerfile", `Dockerfile.repin-${process.pid}.tmp`]);
});

it("apply keeps the file's mode", async () => {
  const old = await pushImage(registry, "team/mode", "1", { created: "2026-03-01T00:00:00Z" });
  await pushImage(registry, "team/mode", "1", { created: "2026-03-02T00:00:00Z" });
  const dir = await workspace({});
  await writeFile(join(dir, "Dockerfile"), `FROM ${registry.host}/team/mode:1@${old.digest}\n`, { mode: 0o640 });
  expect((await repin(["apply", dir])).code).toBe(0);
  expect((await lstat(join(dir, "Dockerfile"))).mode & 0o777).toBe(0o640);
});
