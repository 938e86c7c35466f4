import type { QueuedWork } from "./types.js";

/** The queue's decisions as pure functions over data. */

/** Failed jobs run again after `baseMs`, doubling, at most `maxMs` apart, `maxAttempts` times in all. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseMs: 10_000, maxMs: 10 * 60_000 };

/** One key per repository, whatever the case GitHub or a person wrote it in. */
export function jobKey(job: { readonly owner: string; readonly name: string }): string {
  return `${job.owner}/${job.name}`.toLowerCase();
}

/** When a job that failed (its `attempts` before this failure) runs again; null when it has had every attempt. */
export function retryAt(work: Pick<QueuedWork, "attempts">, now: number, policy: RetryPolicy): number | null {
  const failures = work.attempts + 1;
  if (failures >= policy.maxAttempts) return null;
  return now + Math.min(policy.baseMs * 2 ** (failures - 1), policy.maxMs);
}

/** Which due rows start now: those of repositories not already running, in the table's order, `slots` at most. */
export function startable(due: readonly QueuedWork[], running: ReadonlySet<string>, slots: number): QueuedWork[] {
  if (slots <= 0) return [];
  return due.filter((work) => !running.has(jobKey(work))).slice(0, slots);
}
