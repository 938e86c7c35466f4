// The simulator in a child process, so a bench's memory figures are its own.
// `serve.ts` is the child: it starts the simulator and answers one JSON line
// per command on stdin with one JSON line on stdout; it exits when stdin
// closes, so it never outlives its parent.
//
//   const sim = await startSimulatorProcess({ validate: false });
//   sim.url / sim.apiUrl; await sim.call("createApp", { appId, publicKey })
//   await sim.call("createInstallation", { appId, account }) → { id }
//   await sim.call("seed", { owner, installationId?, repos: SeedRepo[] }) → { count }
//   await sim.call("counters") → Counters; await sim.call("resetLog"); await sim.stop()
//   await sim.call("pullCounts", { owner, names }) → { counts } (pull requests per repository)
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { SeedRepo } from "./seed.js";
import type { SimulatorOptions } from "./simulator.js";

/** What the simulator saw since the last resetLog. */
export interface Counters {
  requests: number;
  rateLimited: number;
  /** Requests under /repos/{owner}/{repo}, and those of them counted against the rate limit. */
  repoRequests: number;
  repoRateLimited: number;
  writes: number;
  /** Requests no route serves (501), since the simulator started. */
  unserved: number;
  /** By operationId, for reading where requests went. */
  byOperation: Record<string, number>;
  /** The child's own resident memory, bytes. */
  rss: number;
  /** The child's CPU time (user + system) since it started, ms. */
  cpuMs: number;
}

export interface Commands {
  createApp: [{ appId: number; publicKey: string }, { id: number }];
  createInstallation: [{ appId: number; account: string }, { id: number }];
  seed: [{ owner: string; installationId?: number; repos: SeedRepo[] }, { count: number }];
  counters: [Record<string, never>, Counters];
  resetLog: [Record<string, never>, Record<string, never>];
  /** How many pull requests each named repository of `owner` has. */
  pullCounts: [{ owner: string; names: string[] }, { counts: number[] }];
}

export type Command = { [K in keyof Commands]: { id: number; op: K; args: Commands[K][0] } }[keyof Commands];
export type Answer = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export interface SimulatorProcess {
  url: string;
  apiUrl: string;
  pid: number;
  call<K extends keyof Commands>(
    op: K,
    ...args: Commands[K][0] extends Record<string, never> ? [] : [Commands[K][0]]
  ): Promise<Commands[K][1]>;
  /** Closes stdin (the child stops) and kills it if it has not exited within 5 s. */
  stop(): Promise<void>;
}

const SERVE = fileURLToPath(new URL("./serve.ts", import.meta.url));

export async function startSimulatorProcess(options: SimulatorOptions = {}): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", SERVE, JSON.stringify(options)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const lines = createInterface({ input: child.stdout });
  let ready: (value: { url: string; apiUrl: string }) => void = () => undefined;
  const started = new Promise<{ url: string; apiUrl: string }>((resolve, reject) => {
    ready = resolve;
    child.once("error", reject);
    void exited.then(() => reject(new Error("the simulator process exited before it was ready")));
  });
  void exited.then(() => {
    for (const { reject } of pending.values()) reject(new Error("the simulator process exited"));
    pending.clear();
  });
  lines.on("line", (line) => {
    const message = JSON.parse(line) as Answer | { ready: { url: string; apiUrl: string } };
    if ("ready" in message) return ready(message.ready);
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiting?.resolve(message.result);
    else waiting?.reject(new Error(`simulator: ${message.error}`));
  });

  const stop = async () => {
    process.removeListener("exit", killOnExit);
    child.stdin.end();
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const { url, apiUrl } = await started;
    let next = 0;
    const call = (op: keyof Commands, args: unknown = {}) =>
      new Promise((resolve, reject) => {
        const id = ++next;
        pending.set(id, { resolve, reject });
        child.stdin.write(`${JSON.stringify({ id, op, args })}\n`);
      });
    return { url, apiUrl, pid: child.pid ?? 0, call: call as SimulatorProcess["call"], stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
