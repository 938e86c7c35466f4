import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./app-process.ts", import.meta.url));
const tsx = fileURLToPath(new URL("../../../node_modules/tsx/dist/esm/index.mjs", import.meta.url));

export interface AppProcess {
  /** Resolves once the process has logged `count` "cycle done" lines (its schedule runs them). */
  cycles(count: number): Promise<void>;
  /** Everything it logged, one pino JSON object a line. */
  readonly lines: readonly Record<string, unknown>[];
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/** Starts the App (src/app's default export) as a child process with `env` added to a minimal environment. */
export function startAppProcess(env: Record<string, string>): AppProcess {
  const child: ChildProcess = spawn(process.execPath, ["--import", tsx, script], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info", LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let buffered = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    buffered += chunk;
    const complete = buffered.split("\n");
    buffered = complete.pop() ?? "";
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ msg: line });
      }
    }
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const done = () => lines.filter((line) => line.msg === "cycle done").length;
  return {
    lines,
    async cycles(count) {
      const deadline = Date.now() + 90_000;
      while (done() < count) {
        if (child.exitCode !== null) throw new Error(`the App exited (${child.exitCode}): ${stderr}`);
        if (Date.now() > deadline)
          throw new Error(
            `no ${count} cycles within 90 s; last lines: ${lines
              .slice(-5)
              .map((line) => JSON.stringify(line))
              .join("\n")}; stderr: ${stderr}`,
          );
        await Promise.race([
          new Promise<void>((resolve) => waiters.push(resolve)),
          new Promise((resolve) => setTimeout(resolve, 200)),
        ]);
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
