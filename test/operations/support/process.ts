// repin as `npm start` runs it (src/app/main.ts: Probot's `run` plus the graceful stop), as its own
// OS process, with the environment given added to a minimal one. Logs are pino JSON lines.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("../../../src/app/main.ts", import.meta.url));
const tsx = fileURLToPath(new URL("../../../node_modules/tsx/dist/esm/index.mjs", import.meta.url));

export interface RepinProcess {
  readonly lines: readonly Record<string, unknown>[];
  /** Resolves with the first log line `match` accepts; fails after `ms` or when the process exits first. */
  waitFor(match: (line: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
  signal(name: NodeJS.Signals): void;
  /** The exit code (null: killed by a signal). */
  readonly exited: Promise<number | null>;
  stderr(): string;
  /** SIGKILL if still running (test cleanup). */
  kill(): Promise<void>;
}

export function startRepinProcess(env: Record<string, string>): RepinProcess {
  const child: ChildProcess = spawn(process.execPath, ["--import", tsx, main], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
      npm_lifecycle_event: "test",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  const wakers = new Set<() => void>();
  let buffered = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    buffered += chunk;
    const complete = buffered.split("\n");
    buffered = complete.pop() ?? "";
    for (const line of complete) {
      if (!line.trim()) continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ msg: line });
      }
    }
    for (const wake of wakers) wake();
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let gone = false;
  void exited.then(() => {
    gone = true;
    for (const wake of wakers) wake();
  });
  return {
    lines,
    exited,
    stderr: () => stderr,
    signal: (name) => void child.kill(name),
    async waitFor(match, ms = 60_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = lines.find(match);
        if (found) return found;
        if (gone) throw new Error(`repin exited (${child.exitCode}) first; stderr: ${stderr.slice(-2000)}`);
        if (Date.now() > deadline)
          throw new Error(
            `no such line within ${ms} ms; last lines: ${lines
              .slice(-5)
              .map((line) => JSON.stringify(line))
              .join("\n")}`,
          );
        await new Promise<void>((resolve) => {
          const wake = () => {
            wakers.delete(wake);
            resolve();
          };
          wakers.add(wake);
          setTimeout(wake, 200);
        });
      }
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
