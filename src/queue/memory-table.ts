import { jobKey } from "./pending.js";
import type { QueueTable, QueuedWork } from "./types.js";

/** The queue table in memory, with the store's semantics: for tests of the queue alone. */
export function memoryQueueTable(): QueueTable & { readonly rows: Map<string, QueuedWork> } {
  const rows = new Map<string, QueuedWork>();
  return {
    rows,
    async enqueue(work) {
      const key = jobKey(work);
      const row = rows.get(key);
      if (row) {
        rows.set(key, { ...row, version: row.version + 1, firstSeenAt: Math.min(row.firstSeenAt, work.firstSeenAt) });
        return false;
      }
      rows.set(key, { ...work, attempts: 0, notBefore: work.firstSeenAt, version: 1 });
      return true;
    },
    async due(now, limit) {
      return [...rows.values()]
        .filter((row) => row.notBefore <= now)
        .sort((a, b) => a.firstSeenAt - b.firstSeenAt)
        .slice(0, limit);
    },
    async retry(work, notBefore) {
      const row = rows.get(jobKey(work));
      if (row) rows.set(jobKey(work), { ...row, attempts: row.attempts + 1, notBefore });
    },
    async complete(work) {
      const row = rows.get(jobKey(work));
      if (row?.version !== work.version) return false;
      rows.delete(jobKey(work));
      return true;
    },
  };
}
