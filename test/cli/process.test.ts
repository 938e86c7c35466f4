import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  pushImage,
  startRegistry,
  startSilentServer,
  type SilentServer,
  type TestRegistry,
} from "../support/registry/index.js";
import { json, workspace } from "./harness.js";
import { cacheDir, finished, runProcess, start } from "./process.js";

/** The built `repin` command as a process: what CI runs. */

let registry: TestRegistry;
let silent: SilentServer;
beforeAll(async () => {
  registry = await startRegistry();
  silent = await startSilentServer();
});
afterAll(async () => {
  await silent?.stop();
  await registry?.stop();
});

describe("repin as a process", () => {
  it("prints its version", async () => {
    const { version } = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    const result = await runProcess(["--version"]);
    expect(result).toEqual({ code: 0, stdout: `repin ${version}\n`, stderr: "" });
  });

  it("asks a host that never answers once: its other references are skipped at once with the same reason, exit 3", async () => {
    const dir = await workspace({
      Dockerfile: [
        `FROM ${silent.host}/team/a:1@sha256:${"a".repeat(64)}`,
        `FROM ${silent.host}/team/b:3.12-slim`,
        `FROM ${silent.host}/team/c:latest@sha256:${"b".repeat(64)}`,
      ].join("\n"),
    });
    const before = { connections: silent.connections(), requests: silent.requests() };
    const result = await runProcess(["scan", dir, "--json", "--timeout", "5", "--exit-code"], {
      REPIN_CACHE_DIR: await cacheDir(),
    });
    // One request: a request that timed out is not retried, and the host is not asked again. Node's
    // fetch opens one more connection after it gives up on a request, and sends nothing on it.
    expect(silent.requests() - before.requests).toBe(1);
    expect(silent.connections() - before.connections).toBeLessThanOrEqual(2);
    expect(result.code).toBe(3);
    const rows = json(result.stdout).updates;
    expect(rows.map((row) => row.action)).toEqual(["skip", "skip", "skip"]);
    expect(rows.map((row) => row.code)).toEqual(["registry-error", "registry-error", "registry-error"]);
    for (const row of rows) expect(row.reason).toContain("timed out after 5000 ms");
  });

  it("exits 3 under --exit-code when a registry failed and nothing is to be bumped, 1 when something is", async () => {
    const old = await pushImage(registry, "team/gate", "1", { created: "2026-01-01T00:00:00Z" });
    const dir = await workspace({
      "a/Dockerfile": `FROM ${registry.host}/team/gate:1@${old.digest}\n`,
      "b/Dockerfile": `FROM 127.0.0.1:1/team/refused:1@${old.digest}\n`,
    });
    const env = { REPIN_CACHE_DIR: await cacheDir() };
    expect((await runProcess(["scan", dir, "--exit-code"], env)).code).toBe(3);
    expect((await runProcess(["scan", dir], env)).code).toBe(0);
    await pushImage(registry, "team/gate", "1", { created: "2026-01-02T00:00:00Z" });
    expect((await runProcess(["scan", dir, "--exit-code"], env)).code).toBe(1);
  });

  it("ends quietly with status 0 when the reader closes the pipe (repin scan | head -1)", async () => {
    // No tag: nothing is asked of a registry, and the output is far larger than a pipe's buffer.
    const lines = Array.from({ length: 3000 }, (_, i) => `FROM ${registry.host}/team/untagged-${i}`);
    const dir = await workspace({ Dockerfile: `${lines.join("\n")}\n` });
    const child = start(["scan", dir]);
    const firstLine = await new Promise<string>((resolve) => {
      let seen = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        seen += chunk.toString("utf8");
        if (seen.includes("\n")) {
          child.stdout!.destroy();
          resolve(seen.slice(0, seen.indexOf("\n")));
        }
      });
    });
    const result = await finished(child);
    expect(firstLine).toMatch(/^Dockerfile:1 /);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
  });

  it("scans one file: named by its name, with the nearest config above it up to the repository root", async () => {
    const old = await pushImage(registry, "team/one", "1", { created: "2026-01-01T00:00:00Z" });
    await pushImage(registry, "team/one", "1", { created: "2026-01-02T00:00:00Z" });
    const dir = await workspace({
      ".git/HEAD": "ref: refs/heads/main\n",
      ".github/repin.yml": `ignore:\n  - "${registry.host}/team/ignored"\n`,
      "services/api/build.dockerfile": `FROM ${registry.host}/team/one:1@${old.digest}\nFROM ${registry.host}/team/ignored:1\n`,
      "services/api/Dockerfile": `FROM ${registry.host}/team/one:1@${old.digest}\n`,
    });
    const result = await runProcess(["scan", join(dir, "services/api/build.dockerfile"), "--json"], {
      REPIN_CACHE_DIR: await cacheDir(),
    });
    expect(result.code).toBe(0);
    expect(json(result.stdout).updates).toMatchObject([
      { file: "build.dockerfile", line: 1, action: "bump" },
      { file: "build.dockerfile", line: 2, action: "skip", code: "ignored" },
    ]);
  });

  it("ends human output with a summary line", async () => {
    const old = await pushImage(registry, "team/sum", "1", { created: "2026-01-01T00:00:00Z" });
    await pushImage(registry, "team/sum", "1", { created: "2026-01-02T00:00:00Z" });
    const dir = await workspace({
      "a/Dockerfile": `FROM ${registry.host}/team/sum:1@${old.digest}\nFROM ${registry.host}/team/sum:1\n`,
      "b/Dockerfile": `FROM ${registry.host}/team/sum\n`,
      "c/Dockerfile": Buffer.from([0x46, 0xff, 0x0a]),
    });
    const result = await runProcess(["scan", dir], { REPIN_CACHE_DIR: await cacheDir() });
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("3 references in 2 files: 1 bump, 0 pin, 1 current, 1 skipped; 1 file not read");
    // Not a terminal: no colour, no progress.
    expect(result.stdout + result.stderr).not.toContain("\u001b");
  });
});
