import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The built command, run as users run it (test/support/build-cli.ts builds it when src is newer). */
export const MAIN = new URL("../../dist/cli/main.js", import.meta.url).pathname;

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A fresh, empty cache directory for one test. */
export const cacheDir = () => mkdtemp(join(tmpdir(), "repin-cache-"));

/** Runs `repin ARGV` as a process with no Docker config and only the environment given. */
export function start(argv: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [MAIN, ...argv], {
    env: { PATH: process.env.PATH, HOME: "/nonexistent", DOCKER_CONFIG: "/nonexistent", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function finished(child: ChildProcess): Promise<Finished> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export const runProcess = (argv: readonly string[], env: NodeJS.ProcessEnv = {}) => finished(start(argv, env));
