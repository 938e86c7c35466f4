import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import {
  pushImage,
  startFaultProxy,
  startRegistry,
  type FaultProxy,
  type TestRegistry,
} from "../support/registry/index.js";
import { json, repin, workspace } from "./harness.js";

/** What a terminal gets (colours, progress) and what scan promises apply will edit. */

let registry: TestRegistry;
let slow: FaultProxy;
beforeAll(async () => {
  registry = await startRegistry();
  slow = await startFaultProxy(registry.url);
});
afterAll(async () => {
  await slow?.stop();
  await registry?.stop();
});

async function onTerminal(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: { isTTY: true, write: (text: string) => (stdout += text) },
    stderr: { isTTY: true, write: (text: string) => (stderr += text) },
    env: { HOME: "/nonexistent", DOCKER_CONFIG: "/nonexistent", ...env },
    cwd: "/",
  });
  return { code, stdout, stderr };
}

describe("on a terminal", () => {
  it("colours the action on a TTY, never with NO_COLOR", async () => {
    const dir = await workspace({ Dockerfile: `FROM ${registry.host}/team/colour\n` });
    const coloured = await onTerminal(["scan", dir]);
    expect(coloured.stdout).toContain("\u001b[33mskip\u001b[0m");
    const plain = await onTerminal(["scan", dir], { NO_COLOR: "1" });
    expect(plain.stdout).not.toContain("\u001b");
    expect(plain.stdout).toContain("  skip  ");
  });

  it("shows progress on stderr for a run over a second, and clears it", async () => {
    await pushImage(registry, "team/slow", "1");
    slow.add({ path: "/manifests/1", times: Infinity, action: { type: "delay", ms: 1500 } });
    const dir = await workspace({ Dockerfile: `FROM ${slow.host}/team/slow:1\n` });
    const result = await onTerminal(["scan", dir]);
    slow.clear();
    expect(result.stderr).toContain(`resolved 0/1 references · waiting on ${slow.host}`);
    expect(result.stderr.endsWith("\r\u001b[K")).toBe(true);
    expect(result.stdout).toContain("none");
  });

  it("counts references, as the summary line does, not the unique tags behind them", async () => {
    await pushImage(registry, "team/shared", "2");
    await pushImage(registry, "team/late", "1");
    slow.add({ path: "/late/manifests/1", times: Infinity, action: { type: "delay", ms: 1500 } });
    const dir = await workspace({
      Dockerfile: `FROM ${slow.host}/team/shared:2 AS a\nFROM ${slow.host}/team/shared:2 AS b\nFROM ${slow.host}/team/late:1\n`,
    });
    const result = await onTerminal(["scan", dir]);
    slow.clear();
    // Two references follow the tag that answered at once; the third waits.
    expect(result.stderr).toContain(`resolved 2/3 references · waiting on ${slow.host}`);
    expect(result.stdout).toContain("3 references in 1 file");
  });

  it("shows no progress for a quick run", async () => {
    const dir = await workspace({ Dockerfile: `FROM ${registry.host}/team/quick\n` });
    expect((await onTerminal(["scan", dir])).stderr).toBe("");
  });
});

describe("scan names every line apply edits", () => {
  it("lists an ARG default's line beside the reference it moves, and apply edits exactly those lines", async () => {
    const old = await pushImage(registry, "team/arg", "1.0.0", { created: "2026-01-01T00:00:00Z" });
    const patched = await pushImage(registry, "team/arg", "1.0.1", { created: "2026-01-02T00:00:00Z" });
    const before = `ARG TAG=1.0.0\nFROM scratch AS unrelated\nFROM ${registry.host}/team/arg:\${TAG}@${old.digest} AS app\n`;
    const dir = await workspace({ Dockerfile: before });

    const human = await repin(["scan", dir]);
    expect(human.stdout).toContain("Dockerfile:3 ");
    expect(human.stdout).toContain("[edits line 1, 3]");
    const rows = json((await repin(["scan", dir, "--json"])).stdout).updates;
    expect(rows).toMatchObject([
      {
        line: 3,
        action: "bump",
        edits: [
          { line: 3, old: old.digest, new: patched.digest },
          { line: 1, old: "1.0.0", new: "1.0.1" },
        ],
      },
    ]);

    const apply = await repin(["apply", dir]);
    expect(apply.stdout).toContain("[edits line 1, 3]");
    const after = await readFile(join(dir, "Dockerfile"), "utf8");
    const changed = after
      .split("\n")
      .map((line, i) => (line === before.split("\n")[i] ? null : i + 1))
      .filter((line) => line !== null);
    expect(changed).toEqual([1, 3]);
  });
});

describe("usage", () => {
  it.each([
    ["http://registry.local:5000"],
    ["registry.local:5000/v2"],
    ["registry.local:99999"],
    ["user@registry.local"],
  ])("refuses --insecure-registry %s: HOST[:PORT] only", async (value) => {
    const result = await repin(["scan", ".", "--insecure-registry", value]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^repin: --insecure-registry takes HOST\[:PORT\], not a URL or a path: .+\n$/);
  });

  it.each([["0"], ["-1"], ["soon"]])("refuses --timeout %s", async (value) => {
    const result = await repin(["scan", ".", `--timeout=${value}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^repin: --timeout takes a number of seconds/);
  });

  it("accepts host, host:port and [ipv6]:port", async () => {
    const dir = await workspace({});
    for (const value of ["registry.local", "registry.local:5000", "10.0.0.1:5000", "[::1]:5000"])
      expect((await repin(["scan", dir, "--insecure-registry", value])).code).toBe(0);
  });
});
