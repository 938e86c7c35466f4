/**
 * The work queue (SPEC 11, 12): upstream triggers enqueue repositories; a repository waiting is
 * queued once; work on one repository is serialized with everything else done to it; failed jobs
 * are retried with backoff a bounded number of times; waiting jobs live in a `QueueTable` (the
 * store's), so a restart loses none. `pending` decides, `work-queue` runs; the PostgreSQL queue
 * implements `WorkQueue`. `latency` records upstream change → PR.
 */
export type { QueueTable, QueuedWork, RepoJob, WorkQueue } from "./types.js";
export { defaultRetryPolicy, jobKey, retryAt, startable, type RetryPolicy } from "./pending.js";
export { createSerial, type Serial } from "./serial.js";
export { createWorkQueue, type QueueLog, type WorkQueueOptions } from "./work-queue.js";
export { memoryQueueTable } from "./memory-table.js";
export { createWriteTurns, freeWrites, type WriteTurn, type WriteTurns } from "./write-turns.js";
export { createLatencyRecorder, latencyBucketsMs, type LatencyRecorder, type LatencySnapshot } from "./latency.js";
