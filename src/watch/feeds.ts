import { tagName } from "./plan.js";
import type { Enqueue, TagIndex, WatchLog } from "./types.js";

/** The advisory feeds as the App keeps them (src/explain's store): `generation` goes up when what they say changes. */
export interface FeedSource {
  refresh(): Promise<{ readonly problems: readonly string[] }>;
  readonly generation?: number;
}

export interface FeedWatchOptions {
  readonly feeds: FeedSource;
  readonly index: TagIndex;
  readonly enqueue: Enqueue;
  readonly log: WatchLog;
  readonly now?: () => number;
}

export interface FeedReport {
  /** Whether the feeds said something new since the last look. */
  readonly changed: boolean;
  readonly queued: number;
}

/**
 * Advisory feeds on their own clock (SPEC 11): each tick refreshes them (conditional requests, so
 * an unchanged feed costs a 304), and when they say something new, queues at once the
 * repositories that pin a watched tag at a digest other than the tag's current one (those pinned
 * at the current digest, or not pinned, have nothing to gain), seen now. The rescan decides from
 * the explanation whether its pinned digest lacks a fix the current digest carries; such a bump
 * skips `schedule` and `minimumAge` (src/proposals), and an unchanged repository costs one
 * conditional request. The first look is the baseline: what the feeds said before this process
 * started was acted on by the scans since.
 */
export function createFeedWatch(options: FeedWatchOptions): { tick(): Promise<FeedReport> } {
  const { feeds, index, log } = options;
  const now = options.now ?? Date.now;
  let seen: number | null = null;
  return {
    async tick() {
      const { problems } = await feeds.refresh();
      if (problems.length > 0)
        log.warn({ problems }, "advisory feeds: some could not be read; the last copies are kept");
      const generation = feeds.generation ?? 0;
      const first = seen === null;
      const changed = !first && generation !== seen;
      seen = generation;
      if (!changed) return { changed: false, queued: 0 };
      const at = now();
      const tags = (await index.watched()).filter((tag) => tag.digest !== null);
      const queued = new Set<string>();
      for (const tag of tags) {
        for (const user of await index.pinnedBehind(tag, tag.digest!)) {
          const key = `${user.owner}/${user.name}`.toLowerCase();
          if (queued.has(key)) continue;
          queued.add(key);
          await options.enqueue({
            installationId: user.installationId,
            owner: user.owner,
            repo: user.name,
            reason: `advisory feeds changed (uses ${tagName(tag)})`,
            seenAt: at,
          });
        }
      }
      log.info({ repositories: queued.size }, "advisory feeds changed; repositories pinned behind watched tags queued");
      return { changed: true, queued: queued.size };
    },
  };
}
