import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushImage, pushIndex, startRegistry, type TestRegistry } from "../support/registry/index.js";
import { json, repin as runRepin, workspace } from "./harness.js";

const repin = (...argv: string[]) => runRepin(argv);

/** The CLI end to end: real files on disk, the real registry, the JSON contract of SPEC 4. */

let registry: TestRegistry;
let host: string;

beforeAll(async () => {
  registry = await startRegistry();
  host = registry.host;
});
afterAll(async () => registry?.stop());

describe("repin scan / apply", () => {
  it("finds, resolves and re-pins across files, changing only digest characters", async () => {
    const old = await pushImage(registry, "team/base", "1.0", { created: "2026-01-01T00:00:00Z" });
    const current = await pushImage(registry, "team/base", "1.0", { created: "2026-02-01T00:00:00Z" });
    // The `# syntax=` frontend is a reference too (SPEC 2a): unpinned here, so left alone without --pin.
    await pushImage(registry, "docker/dockerfile", "1");
    const dockerfile = `# syntax=${host}/docker/dockerfile:1\r\nFROM ${host}/team/base:1.0@${old.digest} AS build\r\nRUN echo "FROM ${host}/team/base:1.0"\r\nFROM build\r\n`;
    const dir = await workspace({
      Dockerfile: dockerfile,
      "services/api/api.Dockerfile": `from ${host}/team/base:1.0\n`,
      "node_modules/x/Dockerfile": `FROM ${host}/team/base:1.0@${old.digest}\n`,
    });

    const scan = await repin("scan", dir, "--json");
    expect(scan.code).toBe(0);
    expect(json(scan.stdout).updates).toEqual([
      {
        file: "Dockerfile",
        kind: "dockerfile",
        line: 1,
        image: `${host}/docker/dockerfile:1`,
        tag: "1",
        newTag: null,
        currentDigest: null,
        newDigest: null,
        action: "none",
        reason: expect.stringContaining("not pinned"),
        code: "not-pinned",
        edits: [],
      },
      {
        file: "Dockerfile",
        kind: "dockerfile",
        line: 2,
        image: `${host}/team/base:1.0`,
        tag: "1.0",
        newTag: null,
        currentDigest: old.digest,
        newDigest: current.digest,
        action: "bump",
        reason: null,
        code: null,
        edits: [{ line: 2, old: old.digest, new: current.digest }],
      },
      {
        file: "services/api/api.Dockerfile",
        kind: "dockerfile",
        line: 1,
        image: `${host}/team/base:1.0`,
        tag: "1.0",
        newTag: null,
        currentDigest: null,
        newDigest: null,
        action: "none",
        reason: expect.stringContaining("not pinned"),
        code: "not-pinned",
        edits: [],
      },
    ]);
    expect(await readFile(join(dir, "Dockerfile"), "utf8")).toBe(dockerfile);

    const apply = await repin("apply", dir);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain("updated Dockerfile:2");
    expect(await readFile(join(dir, "Dockerfile"), "utf8")).toBe(dockerfile.replace(old.digest, current.digest));
    expect(await readFile(join(dir, "node_modules/x/Dockerfile"), "utf8")).toContain(old.digest);

    const again = await repin("scan", dir, "--json", "--exit-code");
    expect(again.code).toBe(0);
    expect(json(again.stdout).updates[1]).toMatchObject({ line: 2, action: "none" });
    await rm(dir, { recursive: true });
  });

  it("pins with --pin and signals pending work with --exit-code", async () => {
    const pushed = await pushImage(registry, "team/pinme", "2");
    const dir = await workspace({ Containerfile: `FROM ${host}/team/pinme:2 AS x\n` });
    const scan = await repin("scan", dir, "--json", "--pin", "--exit-code");
    expect(scan.code).toBe(1);
    expect(json(scan.stdout).updates[0]).toMatchObject({ action: "pin", newDigest: pushed.digest });
    await repin("apply", dir, "--pin");
    expect(await readFile(join(dir, "Containerfile"), "utf8")).toBe(
      `FROM ${host}/team/pinme:2@${pushed.digest} AS x\n`,
    );
  });

  it("asks the registry once per unique reference, however many files use it", async () => {
    const old = await pushImage(registry, "team/shared", "stable", { created: "2026-03-01T00:00:00Z" });
    await pushImage(registry, "team/shared", "stable", { created: "2026-03-02T00:00:00Z" });
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++)
      files[`app${i}/Dockerfile`] = `FROM ${host}/team/shared:stable@${old.digest}\nFROM ${host}/team/shared:stable\n`;
    const dir = await workspace(files);
    await registry.settle();
    const before = registry.requests().length;
    const scan = await repin("scan", dir, "--json");
    await registry.settle();
    const made = registry.requests().slice(before);
    expect(json(scan.stdout).updates.filter((update) => update.action === "bump")).toHaveLength(20);
    const byTag = made.filter((request) => request.path.endsWith("/manifests/stable"));
    expect(byTag).toHaveLength(1);
    expect(byTag[0]?.method).toBe("HEAD");
  });

  it("moves a platform pin to the same platform of the new index", async () => {
    const amd64 = { os: "linux", architecture: "amd64" };
    const arm64 = { os: "linux", architecture: "arm64", variant: "v8" };
    const first = await pushIndex(registry, "team/multi", "1", [
      { platform: amd64, created: "2026-04-01T00:00:00Z" },
      { platform: arm64, created: "2026-04-01T00:00:00Z" },
    ]);
    const second = await pushIndex(registry, "team/multi", "1", [
      { platform: amd64, created: "2026-04-02T00:00:00Z" },
      { platform: arm64, created: "2026-04-02T00:00:00Z" },
    ]);
    const armBefore = first.children[1]!.digest;
    const dir = await workspace({
      "Dockerfile.arm": `FROM ${host}/team/multi:1@${armBefore}\n`,
      "Dockerfile.index": `FROM ${host}/team/multi:1@${first.digest}\n`,
    });
    const { updates } = json((await repin("scan", dir, "--json")).stdout);
    expect(updates).toMatchObject([
      { file: "Dockerfile.arm", action: "bump", newDigest: second.children[1]!.digest },
      { file: "Dockerfile.index", action: "bump", newDigest: second.digest },
    ]);
  });

  it("updates a version tag within the policy and pins the new tag's digest", async () => {
    const old = await pushImage(registry, "team/runtime", "3.12.7-slim", { created: "2026-05-01T00:00:00Z" });
    const patched = await pushImage(registry, "team/runtime", "3.12.8-slim", { created: "2026-05-02T00:00:00Z" });
    await pushImage(registry, "team/runtime", "3.13.0-slim", { created: "2026-05-03T00:00:00Z" });
    await pushImage(registry, "team/runtime", "3.12.9-rc1-slim", { created: "2026-05-04T00:00:00Z" });
    const dir = await workspace({ Dockerfile: `FROM ${host}/team/runtime:3.12.7-slim@${old.digest}\n` });
    const { updates } = json((await repin("scan", dir, "--json", "--update-tags", "patch")).stdout);
    expect(updates[0]).toMatchObject({
      action: "bump",
      tag: "3.12.7-slim",
      newTag: "3.12.8-slim",
      newDigest: patched.digest,
    });
    await repin("apply", dir, "--update-tags", "patch");
    expect(await readFile(join(dir, "Dockerfile"), "utf8")).toBe(
      `FROM ${host}/team/runtime:3.12.8-slim@${patched.digest}\n`,
    );
    const none = json((await repin("scan", dir, "--json", "--update-tags", "none")).stdout);
    expect(none.updates[0]).toMatchObject({ action: "none", newTag: null });
  });

  it("moves a tag written around an ARG default by rewriting the default", async () => {
    const old = await pushImage(registry, "team/py", "3.12.7-slim", { created: "2026-05-01T00:00:00Z" });
    const patched = await pushImage(registry, "team/py", "3.12.8-slim", { created: "2026-05-02T00:00:00Z" });
    const dockerfile = `ARG PYTHON_VERSION=3.12.7\nFROM ${host}/team/py:\${PYTHON_VERSION}-slim@${old.digest} AS app\nRUN echo \${PYTHON_VERSION}\n`;
    const dir = await workspace({ Dockerfile: dockerfile });
    const apply = await repin("apply", dir, "--update-tags", "patch", "--json");
    expect(apply.code).toBe(0);
    expect(json(apply.stdout).updates[0]).toMatchObject({
      action: "bump",
      tag: "3.12.7-slim",
      newTag: "3.12.8-slim",
      newDigest: patched.digest,
    });
    expect(await readFile(join(dir, "Dockerfile"), "utf8")).toBe(
      dockerfile.replace("=3.12.7", "=3.12.8").replace(old.digest, patched.digest),
    );
  });

  it("skips what it cannot resolve with a reason and still handles the rest", async () => {
    const old = await pushImage(registry, "team/ok", "1", { created: "2026-06-01T00:00:00Z" });
    const current = await pushImage(registry, "team/ok", "1", { created: "2026-06-02T00:00:00Z" });
    const dir = await workspace({
      "a/Dockerfile": `FROM ${host}/team/missing:1@${old.digest}\n`,
      "b/Dockerfile": `FROM 127.0.0.1:1/unreachable/x:1@${old.digest}\n`,
      "c/Dockerfile": `FROM ${host}/team/ok:1@${old.digest}\n`,
      "d/Dockerfile": "FROM \u0000\u0001binary",
      "e/Dockerfile": Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0xff, 0xfe, 0x0a]),
    });
    const result = await repin("apply", dir, "--json");
    expect(result.code).toBe(0);
    const byFile = Object.fromEntries(json(result.stdout).updates.map((update) => [update.file, update]));
    expect(byFile["a/Dockerfile"]).toMatchObject({ action: "skip", reason: expect.stringMatching(/not.found|404/i) });
    expect(byFile["b/Dockerfile"]).toMatchObject({ action: "skip" });
    expect(byFile["c/Dockerfile"]).toMatchObject({ action: "bump", newDigest: current.digest });
    expect(byFile["d/Dockerfile"]).toMatchObject({ action: "skip", image: null });
    expect(byFile["e/Dockerfile"]).toMatchObject({ action: "skip", reason: expect.stringContaining("UTF-8") });
    expect(await readFile(join(dir, "a/Dockerfile"), "utf8")).toContain(old.digest);
  });

  it("reads the repository config and refuses an invalid one with exit 2", async () => {
    const old = await pushImage(registry, "team/cfg", "1", { created: "2026-07-01T00:00:00Z" });
    await pushImage(registry, "team/cfg", "1", { created: "2026-07-02T00:00:00Z" });
    const dir = await workspace({
      Dockerfile: `FROM ${host}/team/cfg:1@${old.digest}\n`,
      ".github/repin.yml": `ignore:\n  - "${host}/team/cfg"\n`,
    });
    const ignored = json((await repin("scan", dir, "--json")).stdout);
    expect(ignored.updates[0]).toMatchObject({ action: "skip", reason: "ignored by config" });

    await writeFile(join(dir, ".github/repin.yml"), "pin: maybe\n");
    const invalid = await repin("scan", dir);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^repin: invalid config .*repin\.yml:1: /);
    expect(invalid.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("repin usage", () => {
  it("prints help", async () => {
    const help = await repin("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: repin <scan|apply>");
  });

  it.each([
    [["frobnicate"]],
    [["scan", "--bogus"]],
    [["scan", "/definitely/not/here"]],
    [["scan", ".", "--update-tags", "sideways"]],
    [[]],
  ])("exits 2 with one line on stderr for %j", async (argv) => {
    const result = await repin(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^repin: .+\n$/);
    expect(result.stdout).toBe("");
  });
});
