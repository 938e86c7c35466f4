import type { RateLimit } from "../registry/index.js";
import type { TagRef, TagUser, WatchedTag } from "./types.js";

/**
 * The watch loop's decisions as pure functions over data: which tags a tick asks (one probe per
 * tag and credential scope; none on a paused registry), how long a registry waits after what it
 * said, and which repositories a moved tag queues.
 */

/** Registry host → until when (ms) it is not asked. */
export type Pauses = ReadonlyMap<string, number>;

/** What a registry answered about its rate limit. */
export type RateSignal =
  | { readonly kind: "answer"; readonly rateLimit?: RateLimit }
  | { readonly kind: "rate-limited"; readonly retryAfterMs: number | null };

/** When a registry that said too much has been asked is next asked; null: it may be asked on. */
export function pauseUntil(signal: RateSignal, now: number, defaultPauseMs: number): number | null {
  if (signal.kind === "rate-limited") return now + (signal.retryAfterMs ?? defaultPauseMs);
  const limit = signal.rateLimit;
  if (!limit || limit.remaining > 0) return null;
  return now + (limit.resetMs ?? defaultPauseMs);
}

export function isPaused(pauses: Pauses, registry: string, now: number): boolean {
  return (pauses.get(registry) ?? 0) > now;
}

/** One HEAD to send: a tag, in one credential scope, for the users in that scope. */
export interface Probe<S> {
  readonly tag: WatchedTag;
  readonly scope: S;
  readonly users: readonly TagUser[];
}

/**
 * A tick's probes by registry: one per (tag, scope), scopes kept apart so an answer obtained with
 * credentials only queues accounts allowed them; tags of paused registries are left for later.
 */
export function planTick<S>(
  tags: readonly { readonly tag: WatchedTag; readonly users: readonly TagUser[] }[],
  scopeOf: (owner: string) => S,
  pauses: Pauses,
  now: number,
): { readonly ask: Map<string, Probe<S>[]>; readonly paused: WatchedTag[] } {
  const ask = new Map<string, Probe<S>[]>();
  const paused: WatchedTag[] = [];
  for (const { tag, users } of tags) {
    if (users.length === 0) continue;
    if (isPaused(pauses, tag.registry, now)) {
      paused.push(tag);
      continue;
    }
    const probes = ask.get(tag.registry) ?? [];
    for (const [scope, inScope] of byScope(users, scopeOf)) probes.push({ tag, scope, users: inScope });
    ask.set(tag.registry, probes);
  }
  return { ask, paused };
}

function byScope<S>(users: readonly TagUser[], scopeOf: (owner: string) => S): Map<S, TagUser[]> {
  const scopes = new Map<S, TagUser[]>();
  for (const user of users) {
    const scope = scopeOf(user.owner);
    scopes.set(scope, [...(scopes.get(scope) ?? []), user]);
  }
  return scopes;
}

/**
 * Whether an answer is a move to act on: a digest other than the one recorded. With none recorded,
 * a tick only records it (nothing to compare with), while a hint (a registry said it pushed) acts.
 */
export function hasMoved(recorded: string | null, seen: string, trigger: "tick" | "hint"): boolean {
  return recorded === null ? trigger === "hint" : recorded !== seen;
}

/** The jobs a moved tag queues: each of its users once, seen when the answer came. */
export function jobsFor(tag: TagRef, users: readonly TagUser[], seenAt: number) {
  const reason = `tag ${tagName(tag)} moved`;
  const once = new Map<string, TagUser>();
  for (const user of users) {
    const key = `${user.owner}/${user.name}`.toLowerCase();
    if (!once.has(key)) once.set(key, user);
  }
  return [...once.values()].map((user) => ({
    installationId: user.installationId,
    owner: user.owner,
    repo: user.name,
    reason,
    seenAt,
  }));
}

export const tagName = (tag: TagRef): string => `${tag.registry}/${tag.repository}:${tag.tag}`;
