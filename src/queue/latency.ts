/**
 * Upstream change → PR: how long after repin first saw a change (an event, a watch tick, a feed)
 * each PR it caused was written. The operations issue exposes the snapshot as a metric.
 */
export interface LatencySnapshot {
  readonly count: number;
  readonly sumMs: number;
  readonly maxMs: number;
  /** Upper bounds in ms → how many were at or under it (cumulative, as Prometheus histograms count). */
  readonly buckets: ReadonlyMap<number, number>;
}

export interface LatencyRecorder {
  record(ms: number): void;
  snapshot(): LatencySnapshot;
}

export const latencyBucketsMs: readonly number[] = [1_000, 5_000, 10_000, 30_000, 60_000, 300_000, 3_600_000];

export function createLatencyRecorder(bounds: readonly number[] = latencyBucketsMs): LatencyRecorder {
  const counts = bounds.map(() => 0);
  let count = 0;
  let sumMs = 0;
  let maxMs = 0;
  return {
    record(ms) {
      const value = Math.max(0, ms);
      count++;
      sumMs += value;
      maxMs = Math.max(maxMs, value);
      bounds.forEach((bound, index) => {
        if (value <= bound) counts[index]!++;
      });
    },
    snapshot: () => ({ count, sumMs, maxMs, buckets: new Map(bounds.map((bound, index) => [bound, counts[index]!])) }),
  };
}
