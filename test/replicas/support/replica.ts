import { fileURLToPath } from "node:url";
import { spawnLogging } from "../../support/process/logging.js";

const script = fileURLToPath(new URL("../../app/support/app-process.ts", import.meta.url));

/** One App process (src/app's default export, as `npm start` runs it) of a replica set. */
export interface Replica {
  readonly name: string;
  readonly port: number;
  /** Everything it logged, one pino JSON object a line. */
  readonly lines: readonly Record<string, unknown>[];
  /** Lines whose `msg` is `message`. */
  logged(message: string): Record<string, unknown>[];
  /** Resolves once it logged "repin started". */
  started(): Promise<void>;
  /** SIGKILL: no shutdown, its connections drop. */
  kill(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

export function startReplica(name: string, port: number, env: Record<string, string>): Replica {
  const replica = spawnLogging(script, { ...env, PORT: String(port) });
  const { lines } = replica;
  const logged = (message: string) => lines.filter((line) => line.msg === message);
  return {
    name,
    port,
    lines,
    logged,
    async started() {
      const deadline = Date.now() + 60_000;
      while (logged("repin started").length === 0) {
        if (replica.gone()) throw new Error(`${name} exited (${replica.child.exitCode}): ${replica.stderr()}`);
        if (Date.now() > deadline) throw new Error(`${name} did not start within 60 s: ${replica.stderr()}`);
        await replica.next(100);
      }
    },
    async kill() {
      await replica.end("SIGKILL");
    },
    async stop() {
      await replica.end("SIGTERM");
    },
  };
}
