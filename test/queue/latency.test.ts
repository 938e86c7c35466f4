import { describe, expect, it } from "vitest";
import { createLatencyRecorder } from "../../src/queue/index.js";

describe("the change-to-PR latency recorder", () => {
  it("counts, sums, keeps the maximum and fills cumulative buckets", () => {
    const recorder = createLatencyRecorder([1000, 5000]);
    for (const ms of [200, 1000, 4000, 9000, -5]) recorder.record(ms);
    const snapshot = recorder.snapshot();
    expect(snapshot).toMatchObject({ count: 5, sumMs: 14_200, maxMs: 9000 });
    expect([...snapshot.buckets]).toEqual([
      [1000, 3],
      [5000, 4],
    ]);
  });
});
