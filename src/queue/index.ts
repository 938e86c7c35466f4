/**
 * The work queue (SPEC 11, 12): upstream triggers enqueue repositories; a repository waiting is
 * queued once; work on one repository is serialized with everything else done to it; failed jobs
 * are retried with backoff a bounded number of times; waiting jobs live in a `PendingStore`, so a
 * restart loses none. `pending` decides, `work-queue` runs; the PostgreSQL queue implements `WorkQueue`.
 */
export type { JobReason, PendingJob, PendingStore, RepoJob, WorkQueue } from "./types.js";
export { afterFailure, defaultRetryPolicy, jobKey, mergeJob, nextDue, runnable, type RetryPolicy } from "./pending.js";
export { createSerial, type Serial } from "./serial.js";
export { createWorkQueue, memoryPendingStore, type QueueLog, type WorkQueueOptions } from "./work-queue.js";
export { createLatencyRecorder, type LatencyRecorder, type LatencySnapshot } from "./latency.js";
