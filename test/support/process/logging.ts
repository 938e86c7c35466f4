// An entry point run as its own OS process (through tsx), with the environment given added to a
// minimal one, its pino JSON log lines collected as they come: the App process tests' common part.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const tsx = fileURLToPath(new URL("../../../node_modules/tsx/dist/esm/index.mjs", import.meta.url));

export interface LoggingProcess {
  readonly child: ChildProcess;
  /** Everything it logged, one pino JSON object a line (a line that is not JSON: `{ msg: line }`). */
  readonly lines: readonly Record<string, unknown>[];
  stderr(): string;
  /** The exit code (null: killed by a signal). */
  readonly exited: Promise<number | null>;
  /** True once it exited. */
  gone(): boolean;
  /** Resolves at the next line logged, at the exit, or after `ms`, whichever comes first. */
  next(ms: number): Promise<void>;
  /** Sends `signal` unless it already exited, then waits for the exit. */
  end(signal: NodeJS.Signals): Promise<number | null>;
}

export function spawnLogging(script: string, env: Record<string, string>): LoggingProcess {
  const child = spawn(process.execPath, ["--import", tsx, script], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info", LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  const wakers = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of wakers) wake();
  };
  let buffered = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
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
    wakeAll();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let gone = false;
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  void exited.then(() => {
    gone = true;
    wakeAll();
  });
  return {
    child,
    lines,
    exited,
    stderr: () => stderr,
    gone: () => gone,
    next: (ms) =>
      new Promise<void>((resolve) => {
        const wake = () => {
          wakers.delete(wake);
          resolve();
        };
        wakers.add(wake);
        setTimeout(wake, ms);
      }),
    async end(signal) {
      if (!gone && child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
