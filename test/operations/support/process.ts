// repin as `npm start` runs it (src/app/main.ts: Probot's `run` plus the graceful stop), as its own
// OS process, with the environment given added to a minimal one. Logs are pino JSON lines.
import { fileURLToPath } from "node:url";
import { spawnLogging } from "../../support/process/logging.js";

const main = fileURLToPath(new URL("../../../src/app/main.ts", import.meta.url));

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
  const repin = spawnLogging(main, { npm_lifecycle_event: "test", ...env });
  const { lines } = repin;
  return {
    lines,
    exited: repin.exited,
    stderr: repin.stderr,
    signal: (name) => void repin.child.kill(name),
    async waitFor(match, ms = 60_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = lines.find(match);
        if (found) return found;
        if (repin.gone())
          throw new Error(`repin exited (${repin.child.exitCode}) first; stderr: ${repin.stderr().slice(-2000)}`);
        if (Date.now() > deadline)
          throw new Error(
            `no such line within ${ms} ms; last lines: ${lines
              .slice(-5)
              .map((line) => JSON.stringify(line))
              .join("\n")}`,
          );
        await repin.next(200);
      }
    },
    async kill() {
      await repin.end("SIGKILL");
    },
  };
}
