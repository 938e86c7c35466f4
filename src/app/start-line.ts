import { parseAdvisoryFeeds } from "../explain/index.js";
import type { Log } from "../github/index.js";
import type { Store } from "../store/index.js";
import { DEFAULT_FEED_INTERVAL_S, DEFAULT_WATCH_INTERVAL_S, parseInterval } from "../watch/index.js";
import type { UpstreamSettings } from "./upstream.js";

/** The watch loop and feed clock from `REPIN_WATCH_INTERVAL` and `REPIN_FEED_INTERVAL` (seconds or `off`). */
export function upstreamFromEnv(env: NodeJS.ProcessEnv): UpstreamSettings {
  return {
    watchIntervalMs: parseInterval("REPIN_WATCH_INTERVAL", env.REPIN_WATCH_INTERVAL, DEFAULT_WATCH_INTERVAL_S),
    feedIntervalMs: parseInterval("REPIN_FEED_INTERVAL", env.REPIN_FEED_INTERVAL, DEFAULT_FEED_INTERVAL_S),
  };
}

const seconds = (ms: number | null | undefined): string => (ms === null || ms === undefined ? "off" : `${ms / 1000}s`);

/** What the App runs, in one line at start (SPEC 13): an operator sees at once what is on. No secret is in it. */
export function logStartLine(
  log: Log,
  running: {
    readonly schedule: string | null;
    readonly store: Store;
    readonly settings: UpstreamSettings | undefined;
    readonly registryEvents: boolean;
    readonly env?: NodeJS.ProcessEnv;
  },
): void {
  const env = running.env ?? process.env;
  const feeds = parseAdvisoryFeeds(env.REPIN_ADVISORY_FEEDS).feeds.length;
  log.info(
    {
      schedule: running.schedule ?? "off",
      watchInterval: seconds(running.settings?.watchIntervalMs),
      feedInterval: seconds(running.settings?.feedIntervalMs),
      feeds,
      store: running.store.location,
      registryEvents: running.registryEvents ? "on" : "off",
    },
    "repin started",
  );
}
