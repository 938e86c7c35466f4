import { fileURLToPath } from "node:url";
import { spawnLogging } from "../../support/process/logging.js";

const script = fileURLToPath(new URL("./app-process.ts", import.meta.url));

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
  const app = spawnLogging(script, env);
  const { lines } = app;
  const done = () => lines.filter((line) => line.msg === "cycle done").length;
  return {
    lines,
    async cycles(count) {
      const deadline = Date.now() + 90_000;
      while (done() < count) {
        if (app.gone()) throw new Error(`the App exited (${app.child.exitCode}): ${app.stderr()}`);
        if (Date.now() > deadline)
          throw new Error(
            `no ${count} cycles within 90 s; last lines: ${lines
              .slice(-5)
              .map((line) => JSON.stringify(line))
              .join("\n")}; stderr: ${app.stderr()}`,
          );
        await app.next(200);
      }
    },
    async stop() {
      await app.end("SIGTERM");
    },
  };
}
