import type { RegistryViews } from "../registry/index.js";

const FRESH_MS = 30_000;
/** How long the views that saw a move serve its fan-out: answers older than this are asked again. */
const MOVE_MS = 10 * 60_000;

/**
 * The registry views queued jobs share. Jobs for a change seen before the latest move was seen get
 * the views that saw it (they know its digest), however long the fan-out takes: the rescans a move
 * queued cost no HEAD beyond the one that saw it, and each manifest once, however many
 * repositories use the tag, also while GitHub's write pacing stretches the fan-out over minutes
 * (up to 10 minutes: then one HEAD more). Jobs for later changes get fresh views, shared for at
 * most 30 s and never older than the change, so a tag that moves since is asked again.
 */
export function shareViews(
  fresh: () => RegistryViews,
  now: () => number = Date.now,
): {
  current: (job: { readonly seenAt: number }) => RegistryViews;
  adopt: (views: RegistryViews) => void;
} {
  let moved: { views: RegistryViews; at: number } | null = null;
  let shared: { views: RegistryViews; at: number } | null = null;
  return {
    current(job) {
      if (moved && job.seenAt <= moved.at && now() - moved.at <= MOVE_MS) return moved.views;
      // Never views older than the change the job is for: with many replicas another one saw it, and
      // older views here may still answer the old digest.
      if (!shared || now() - shared.at > FRESH_MS || shared.at < job.seenAt) shared = { views: fresh(), at: now() };
      return shared.views;
    },
    adopt(views) {
      moved = { views, at: now() };
      shared = moved;
    },
  };
}
