/**
 * Writes held in job start order (SPEC 9: under GitHub's write pacing the first PR comes first).
 * GitHub paces content-creating requests (Probot's throttling: one write a second, first come first
 * served), so jobs that write at once interleave there and every PR finishes late. With turns, a
 * job's first write waits until every job started before it has finished; its reads run ahead. While
 * writes are paced this costs nothing (the pacer is the bottleneck); where nothing paces writes,
 * turns only serialize them, so an App without pacing turns them off.
 */
export interface WriteTurn {
  /** Resolves when this job may write: every job that took a turn before it has finished. */
  mayWrite(): Promise<void>;
  /** The job is done (however it ended): later jobs may write. */
  done(): void;
}

export interface WriteTurns {
  /** A job starts: its turn, after every job that started before it. */
  take(): WriteTurn;
}

/** Turns that never wait (writes not paced). */
export const freeWrites: WriteTurns = { take: () => ({ mayWrite: () => Promise.resolve(), done: () => undefined }) };

export function createWriteTurns(): WriteTurns {
  // Every unfinished turn's "done" promise, in the order the turns were taken.
  let before: Promise<void> = Promise.resolve();
  return {
    take() {
      const earlier = before;
      let finish: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      // A later turn waits for this one and everything before it.
      before = Promise.all([earlier, finished]).then(() => undefined);
      return {
        mayWrite: () => earlier,
        done: finish,
      };
    },
  };
}
