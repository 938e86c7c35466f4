import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runCli } from "../../src/cli/run.js";

/** A temporary directory holding `files` (path → content). */
export async function workspace(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "repin-cli-"));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** Runs the CLI in-process with captured output and no Docker config unless `env` names one. */
export async function repin(argv: readonly string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { HOME: "/nonexistent", DOCKER_CONFIG: "/nonexistent", ...env },
    cwd: "/",
  });
  return { code, stdout, stderr };
}

export const json = (stdout: string) => JSON.parse(stdout) as { updates: Record<string, unknown>[] };
