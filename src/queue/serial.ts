/**
 * Work on one repository never runs twice at once: a promise chain per key (in this process)
 * serializes queued, webhook, command and schedule work, so no race makes a duplicate branch or PR.
 */
export type Serial = <T>(key: string, work: () => Promise<T>) => Promise<T>;

export function createSerial(): Serial {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const id = key.toLowerCase();
    const previous = tails.get(id) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    tails.set(id, tail);
    // Forget the chain once it is idle, so the map does not grow with every repository ever seen.
    void tail.then(() => {
      if (tails.get(id) === tail) tails.delete(id);
    });
    return run;
  };
}
