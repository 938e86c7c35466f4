import type { WatchLog } from "./types.js";
import type { Watcher } from "./watcher.js";

export interface Clock {
  stop(): void;
}

/**
 * Runs `work` every `intervalMs`, the next run timed from the end of the last (never two at once);
 * a run that throws is logged and the clock goes on.
 */
export function startClock(name: string, intervalMs: number, work: () => Promise<void>, log: WatchLog): Clock {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const next = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      work()
        .catch((error: unknown) => log.warn({ error: String(error) }, `${name} failed; it runs again next time`))
        .finally(next);
    }, intervalMs);
    timer.unref();
  };
  next();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** The watch loop: a tick every interval, moved tags logged by the watcher, the tick's figures at debug. */
export function startWatchLoop(watcher: Watcher, intervalMs: number, log: WatchLog): Clock {
  return startClock(
    "watch tick",
    intervalMs,
    async () => {
      const report = await watcher.tick();
      log.debug({ ...report }, "watch: tick done");
    },
    log,
  );
}
