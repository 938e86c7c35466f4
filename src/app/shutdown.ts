/**
 * Graceful shutdown (SPEC 12): SIGTERM or SIGINT stops taking work, lets the running work finish
 * within `REPIN_SHUTDOWN_GRACE` seconds (default 25), hands back what did not (a queued job stays
 * in the queue table, so the next start runs it), closes the HTTP server and the store, and exits 0.
 */
import type { Log } from "../github/index.js";

export const DEFAULT_SHUTDOWN_GRACE_S = 25;

/** `REPIN_SHUTDOWN_GRACE` in ms: a number of seconds, 0 or more; anything else stops the start with the reason. */
export function shutdownGraceMs(env: NodeJS.ProcessEnv): number {
  const raw = env.REPIN_SHUTDOWN_GRACE?.trim();
  if (!raw) return DEFAULT_SHUTDOWN_GRACE_S * 1000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new Error(`REPIN_SHUTDOWN_GRACE must be a number of seconds (0 or more), not "${raw}"`);
  return Math.round(seconds * 1000);
}

/** True when `work` settles within `ms` (either way), false when the time runs out first. */
export async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Work under way (cycles, webhook scans, commands), so a stop can wait for it. */
export interface InFlight {
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves when everything tracked so far has settled. */
  settled(): Promise<void>;
  readonly size: number;
}

export function createInFlight(): InFlight {
  const running = new Set<Promise<unknown>>();
  return {
    track(work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      running.add(settled);
      void settled.then(() => running.delete(settled));
      return work;
    },
    async settled() {
      while (running.size > 0) await Promise.all(running);
    },
    get size() {
      return running.size;
    },
  };
}

export interface SignalOptions {
  /** Stops everything; its rejection exits 1. */
  readonly stop: (signal: NodeJS.Signals) => Promise<void>;
  readonly log: Pick<Log, "info" | "warn" | "error">;
  readonly exit?: (code: number) => void;
  readonly signals?: readonly NodeJS.Signals[];
}

/**
 * SIGTERM/SIGINT → `stop`, then exit 0. A second signal while stopping exits at once (1): the
 * unfinished jobs stay queued either way. Returns the function that removes the listeners.
 */
export function onSignals(options: SignalOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  let stopping = false;
  const listener = (signal: NodeJS.Signals): void => {
    if (stopping) {
      options.log.warn({ signal }, "second signal while stopping: exiting now; unfinished jobs stay queued");
      return exit(1);
    }
    stopping = true;
    options.log.info({ signal }, "stopping: no new work; waiting for the running work");
    options.stop(signal).then(
      () => {
        options.log.info({ signal }, "stopped");
        exit(0);
      },
      (error: unknown) => {
        options.log.error({ signal, error: String(error) }, "stopping failed");
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, listener);
  return () => {
    for (const signal of signals) process.off(signal, listener);
  };
}

/** What a stop did: `finished` is false when work was still running at the end of the grace (handed back). */
export interface StopReport {
  readonly finished: boolean;
}

/**
 * Stops an App: `halt` stops taking work (schedule, clocks, the queue's next jobs) and resolves
 * when the running work is done; after it or the grace, whichever comes first, `close` (the store).
 */
export async function stopWithin(
  parts: { halt: () => Promise<unknown>; close: () => Promise<void>; log: Pick<Log, "warn"> | null },
  graceMs: number,
): Promise<StopReport> {
  const finished = await within(parts.halt(), graceMs);
  if (!finished)
    parts.log?.warn(
      { graceMs },
      "stopping: work still running at the end of the grace; queued jobs stay queued for the next start",
    );
  await parts.close();
  return { finished };
}
