/**
 * Watching upstream (SPEC 11): the watch loop sends one HEAD per unique watched tag (and credential
 * scope) each tick, pauses a registry that is out of requests, and queues exactly the repositories
 * the reverse index names for a tag that moved; `hint` is the one entry point of every upstream
 * trigger (registry events, `registry_package` webhooks): hints coalesce, unknown tags cost
 * nothing, and a tag is re-resolved before anything is queued. The advisory feeds run on their
 * own clock. `plan` decides (pure), `watcher` and `feeds` act, `loop` keeps time.
 */
export type { Enqueue, Hint, ScopedRegistry, TagIndex, TagRef, TagUser, WatchedTag, WatchLog } from "./types.js";
export {
  hasMoved,
  isPaused,
  jobsFor,
  pauseUntil,
  planTick,
  tagName,
  type Pauses,
  type Probe,
  type RateSignal,
} from "./plan.js";
export { createWatcher, type TickReport, type Watcher, type WatcherOptions } from "./watcher.js";
export { createFeedWatch, type FeedReport, type FeedSource, type FeedWatchOptions } from "./feeds.js";
export { startClock, startWatchLoop, type Clock } from "./loop.js";
export { DEFAULT_FEED_INTERVAL_S, DEFAULT_WATCH_INTERVAL_S, parseInterval } from "./config.js";
