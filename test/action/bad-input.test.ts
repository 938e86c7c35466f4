import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_STATE_FILE } from "../../src/action/index.js";
import { freePort } from "../support/registry/registry.js";
import { dockerfile, OWNER, startWorld, type World } from "../app/support/world.js";
import { createRunner, errorsOf, type ActionRun, type Runner } from "./support.js";

let world: World;
let runner: Runner;

beforeEach(async () => {
  world = await startWorld();
  runner = await createRunner(world);
  const image = world.image("base");
  const old = await world.push("base", "1.0", "2024-01-01T00:00:00Z");
  await world.createRepo("svc", { Dockerfile: dockerfile(image, "1.0", old) });
  await world.push("base", "1.0", "2024-02-01T00:00:00Z");
  world.sim.resetLog();
});

afterEach(async () => {
  await runner.cleanup();
  await world.stop();
});

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** One clear error, a failing step, nothing written to GitHub, no outputs, no state file, no token in the log. */
async function expectCleanFailure(run: ActionRun, message: RegExp, token?: string): Promise<void> {
  expect(run.code).toBe(1);
  const errors = errorsOf(run);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(message);
  expect(world.sim.writes()).toBe(0);
  expect(world.sim.pulls(OWNER, "svc")).toEqual([]);
  expect(run.outputs).toEqual({});
  expect(await exists(join(runner.workspace, DEFAULT_STATE_FILE))).toBe(false);
  if (token !== undefined) expect(run.stdout + run.stderr).not.toContain(token);
}

describe("the Action on bad input", () => {
  it("a missing token", async () => {
    const run = await runner.run("svc", { token: "" });
    await expectCleanFailure(run, /^::error::repin: the `token` input is empty/);
  });

  it("a token GitHub does not know: said as refused, never echoed", async () => {
    const token = "ghs_not_a_token_0123456789abcdefghijklmnop";
    const run = await runner.run("svc", { token });
    await expectCleanFailure(run, /GitHub refused the token \(401/, token);
  });

  it("a read-only token (`permissions: read-all`): the permissions to give, and no branch or PR half-made", async () => {
    const token = runner.token({ readOnly: true });
    const run = await runner.run("svc", { token });
    await expectCleanFailure(run, /403 Resource not accessible by integration.*contents: write, pull-requests: write/, token);
    expect(Object.keys(await world.sim.branches(OWNER, "svc"))).toEqual(["main"]);
    expect(world.sim.issues(OWNER, "svc")).toEqual([]);
  });

  it("an unreachable API", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const token = runner.token();
    const run = await runner.run("svc", { token }, { GITHUB_API_URL: closed });
    await expectCleanFailure(run, new RegExp(`cannot reach the GitHub API at ${closed}`), token);
  });

  it.each([
    [{ "update-tags": "latest" }, /the `update-tags` input must be one of patch, minor, major, none \(got "latest"\)/],
    [{ dashboard: "yes" }, /the `dashboard` input must be true or false/],
    [{ config: "../outside.yml" }, /the `config` input must be a relative path inside the repository/],
  ])("an invalid input value %o", async (inputs, message) => {
    const run = await runner.run("svc", inputs);
    await expectCleanFailure(run, message);
    expect(world.sim.requests).toEqual([]);
  });

  it("a config that does not validate: its file, line and reason, and nothing written", async () => {
    await world.sim.commitFiles(OWNER, "svc", "main", { ".github/repin.yml": "updateTags: sideways\n" });
    world.sim.resetLog();
    const run = await runner.run("svc");
    await expectCleanFailure(run, /invalid repin config: \.github\/repin\.yml:1: /);
  });

  it("a corrupt state file is a warning, replaced after the run, never trusted", async () => {
    const path = join(runner.workspace, DEFAULT_STATE_FILE);
    await runner.run("svc", { dashboard: "false" });
    await writeFile(path, "{ not json");
    const run = await runner.run("svc", { dashboard: "false" });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^::warning::.*is not a repin state file/m);
    expect(JSON.parse(await readFile(path, "utf8"))).toMatchObject({ version: 1 });
  });
});
