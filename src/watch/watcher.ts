import { isRegistryError, type Registry } from "../registry/index.js";
import { hasMoved, isPaused, jobsFor, pauseUntil, planTick, tagName, type Pauses, type Probe } from "./plan.js";
import type { Enqueue, Hint, ScopedRegistry, TagIndex, TagRef, WatchedTag, WatchLog } from "./types.js";

export interface WatcherOptions {
  readonly index: TagIndex;
  /** Fresh registry views per tick and per hint check (a view memoizes what it was told). */
  readonly registry: () => ScopedRegistry;
  readonly enqueue: Enqueue;
  readonly log: WatchLog;
  readonly now?: () => number;
  /** A registry that is out of requests but does not say until when waits this long (default 5 min). */
  readonly defaultPauseMs?: number;
  /** Hints for one tag within this window are one check (default 200 ms). */
  readonly hintDelayMs?: number;
  /** HEADs in flight per registry (default 4). */
  readonly perRegistry?: number;
  /**
   * Told of each move before its users are queued, with the views that saw it (memoized: they
   * know the new digest), so the rescans can share them instead of asking again.
   */
  readonly onMove?: (views: ScopedRegistry) => void;
}

export interface TickReport {
  readonly tags: number;
  readonly asked: number;
  readonly moved: number;
  readonly failed: number;
  /** Registries not asked this tick (paused before or during it). */
  readonly paused: readonly string[];
}

export interface Watcher {
  /** One HEAD per unique watched tag (and credential scope); moved tags queue their users. */
  tick(): Promise<TickReport>;
  readonly hint: Hint;
  /** Resolves when no hint waits or is being checked (tests, benchmarks). */
  settled(): Promise<void>;
  pauses(): Pauses;
}

/** `limited`: asked, and answered 429; `paused`: not asked (the registry waits). */
type Outcome = "same" | "moved" | "failed" | "limited" | "paused";

/**
 * The watch loop's adapter: reads the reverse index, plans (plan.ts), sends the HEADs through the
 * App's registry views, pauses a registry that answers 429 or runs out of `RateLimit-Remaining`
 * (its other tags wait, other registries go on), queues the users of a moved tag, then records the
 * digest (after the queue has them: a failed enqueue is tried again next time).
 */
export function createWatcher(options: WatcherOptions): Watcher {
  const { index, log } = options;
  const now = options.now ?? Date.now;
  const defaultPauseMs = options.defaultPauseMs ?? 5 * 60_000;
  const hintDelayMs = options.hintDelayMs ?? 200;
  const perRegistry = options.perRegistry ?? 4;
  const pauses = new Map<string, number>();
  const waiting = new Map<string, { tag: TagRef; seenAt: number }>();
  const checking = new Map<string, Promise<void>>();

  const pause = (registry: string, until: number | null): void => {
    if (until === null || until <= (pauses.get(registry) ?? 0)) return;
    pauses.set(registry, until);
    log.warn({ registry, until: new Date(until).toISOString() }, "watch: registry rate limit reached; it waits");
  };

  const ask = async (
    views: ScopedRegistry,
    probe: Probe<Registry>,
    trigger: "tick" | "hint",
    hintSeenAt?: number,
  ): Promise<Outcome> => {
    const { tag, scope, users } = probe;
    if (isPaused(pauses, tag.registry, now())) return "paused";
    try {
      const answer = await scope.resolveTag({ registry: tag.registry, repository: tag.repository }, tag.tag);
      const at = now();
      pause(
        tag.registry,
        pauseUntil({ kind: "answer", ...(answer.rateLimit && { rateLimit: answer.rateLimit }) }, at, defaultPauseMs),
      );
      if (!hasMoved(tag.digest, answer.digest, trigger)) {
        if (tag.digest === null) await index.recordDigest(tag, answer.digest, at);
        return "same";
      }
      const jobs = jobsFor(tag, users, hintSeenAt ?? at);
      options.onMove?.(views);
      await Promise.all(jobs.map((job) => options.enqueue(job)));
      await index.recordDigest(tag, answer.digest, at);
      log.info({ tag: tagName(tag), digest: answer.digest, repositories: jobs.length }, "watch: tag moved");
      return "moved";
    } catch (error) {
      if (isRegistryError(error) && error.kind === "rate-limited") {
        pause(
          tag.registry,
          pauseUntil({ kind: "rate-limited", retryAfterMs: error.retryAfterMs }, now(), defaultPauseMs),
        );
        return "limited";
      }
      log.warn({ tag: tagName(tag), error: String(error) }, "watch: tag not checked; next time");
      return "failed";
    }
  };

  /** The probes of one registry, a few at a time; once it pauses, the rest wait for a later tick. */
  const askAll = async (
    plan: { readonly views: ScopedRegistry; readonly probes: readonly Probe<Registry>[] },
    trigger: "tick" | "hint",
    seenAt?: number,
  ) => {
    const { views, probes } = plan;
    const outcomes: Outcome[] = [];
    let next = 0;
    const worker = async () => {
      while (next < probes.length) outcomes.push(await ask(views, probes[next++]!, trigger, seenAt));
    };
    await Promise.all(Array.from({ length: Math.min(perRegistry, probes.length) }, worker));
    return outcomes;
  };

  const probesFor = async (tags: readonly WatchedTag[]) => {
    const views = options.registry();
    const withUsers = await Promise.all(tags.map(async (tag) => ({ tag, users: await index.usersOf(tag) })));
    return { views, ...planTick(withUsers, (owner) => views.forAccount(owner), pauses, now()) };
  };

  const check = async ({ tag, seenAt }: { tag: TagRef; seenAt: number }): Promise<void> => {
    const recorded = await index.digestOf(tag);
    if (!recorded) return log.debug({ tag: tagName(tag) }, "watch: hint for a tag no repository uses; ignored");
    const plan = await probesFor([recorded]);
    if (plan.paused.length > 0)
      return log.info({ tag: tagName(tag) }, "watch: hint for a paused registry; the watch loop asks after the pause");
    for (const probes of plan.ask.values()) await askAll({ views: plan.views, probes }, "hint", seenAt);
  };

  const schedule = (key: string): void => {
    if (checking.has(key)) return; // asked again when the running check ends
    setTimeout(() => {
      const entry = waiting.get(key);
      if (!entry) return;
      waiting.delete(key);
      const running = check(entry)
        .catch((error: unknown) => log.warn({ tag: key, error: String(error) }, "watch: hint not checked"))
        .finally(() => {
          checking.delete(key);
          if (waiting.has(key)) schedule(key);
        });
      checking.set(key, running);
    }, hintDelayMs);
  };

  return {
    async tick() {
      const tags = (await index.watched()).filter((tag) => !checking.has(tagName(tag)));
      const plan = await probesFor(tags);
      const asked = [...plan.ask.values()].map((probes) => askAll({ views: plan.views, probes }, "tick"));
      const outcomes = (await Promise.all(asked)).flat();
      const count = (kind: Outcome) => outcomes.filter((outcome) => outcome === kind).length;
      const paused = new Set([...plan.paused.map((tag) => tag.registry)]);
      for (const registry of plan.ask.keys()) if (isPaused(pauses, registry, now())) paused.add(registry);
      return {
        tags: tags.length,
        asked: outcomes.length - count("paused"),
        moved: count("moved"),
        failed: count("failed"),
        paused: [...paused].sort(),
      };
    },
    hint(tag, seenAt) {
      const key = tagName(tag);
      const queued = waiting.get(key);
      if (queued) {
        queued.seenAt = Math.min(queued.seenAt, seenAt);
        return;
      }
      waiting.set(key, { tag: { registry: tag.registry, repository: tag.repository, tag: tag.tag }, seenAt });
      schedule(key);
    },
    async settled() {
      while (waiting.size > 0 || checking.size > 0) {
        await Promise.all(checking.values());
        if (checking.size === 0 && waiting.size > 0) await new Promise((resolve) => setTimeout(resolve, hintDelayMs));
      }
    },
    pauses: () => new Map(pauses),
  };
}
