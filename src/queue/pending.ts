import type { PendingJob, RepoJob } from "./types.js";

/**
 * The queue's decisions as pure functions over data: which job a repository has waiting, when a
 * failed one may run again, and which waiting jobs run next.
 */

/** Failed jobs run again after `baseMs`, doubling, at most `maxMs` apart, `maxAttempts` times in all. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseMs: 10_000, maxMs: 10 * 60_000 };

/** One key per repository, whatever the case GitHub or a person wrote it in. */
export function jobKey(job: Pick<RepoJob, "owner" | "repo">): string {
  return `${job.owner}/${job.repo}`.toLowerCase();
}

/**
 * The job a repository has waiting once `job` is queued: a repository already waiting stays one job
 * with the earliest `seenAt` (and that sighting's reason), made runnable now; its failures still count.
 */
export function mergeJob(waiting: PendingJob | undefined, job: RepoJob, now: number): PendingJob {
  if (!waiting) return { ...job, attempts: 0, notBefore: now };
  const earliest = job.seenAt < waiting.seenAt ? job : waiting;
  return {
    installationId: job.installationId,
    owner: waiting.owner,
    repo: waiting.repo,
    reason: earliest.reason,
    seenAt: earliest.seenAt,
    attempts: waiting.attempts,
    notBefore: Math.min(waiting.notBefore, now),
  };
}

/** The job after a failed run: waiting for its backoff, or null when it has had every attempt. */
export function afterFailure(job: PendingJob, now: number, policy: RetryPolicy): PendingJob | null {
  const attempts = job.attempts + 1;
  if (attempts >= policy.maxAttempts) return null;
  const delay = Math.min(policy.baseMs * 2 ** (attempts - 1), policy.maxMs);
  return { ...job, attempts, notBefore: now + delay };
}

/**
 * Which waiting jobs start now: those due, of repositories not already running, oldest sighting
 * first, as many as `slots`.
 */
export function runnable(
  waiting: Iterable<PendingJob>,
  running: ReadonlySet<string>,
  now: number,
  slots: number,
): PendingJob[] {
  if (slots <= 0) return [];
  return [...waiting]
    .filter((job) => job.notBefore <= now && !running.has(jobKey(job)))
    .sort((a, b) => a.seenAt - b.seenAt)
    .slice(0, slots);
}

/** When the next job that is not due yet becomes due (null: none waits for a backoff). */
export function nextDue(waiting: Iterable<PendingJob>, now: number): number | null {
  let next: number | null = null;
  for (const job of waiting) if (job.notBefore > now && (next === null || job.notBefore < next)) next = job.notBefore;
  return next;
}
