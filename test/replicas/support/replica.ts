import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("../../app/support/app-process.ts", import.meta.url));
const tsx = fileURLToPath(new URL("../../../node_modules/tsx/dist/esm/index.mjs", import.meta.url));

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
  const child: ChildProcess = spawn(process.execPath, ["--import", tsx, script], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
      ...env,
      PORT: String(port),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
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
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const logged = (message: string) => lines.filter((line) => line.msg === message);
  return {
    name,
    port,
    lines,
    logged,
    async started() {
      const deadline = Date.now() + 60_000;
      while (logged("repin started").length === 0) {
        if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): ${stderr}`);
        if (Date.now() > deadline) throw new Error(`${name} did not start within 60 s: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
