/**
 * Work on one repository never runs twice at once: the App passes the lock its work queue shares
 * (src/queue's `createSerial`), so webhook, command, schedule and queued work never overlap.
 */
export type Locks = <T>(key: string, work: () => Promise<T>) => Promise<T>;
