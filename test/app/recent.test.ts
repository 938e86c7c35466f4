import { describe, expect, it } from "vitest";
import { createRecent } from "../../src/github/index.js";

describe("createRecent (delivery ids, refusals)", () => {
  it("says a key is new once per interval, and again after it", () => {
    const recent = createRecent({ max: 10, ttlMs: 1_000 });
    expect(recent.first("a", 0)).toBe(true);
    expect(recent.first("a", 999)).toBe(false);
    expect(recent.first("a", 1_000)).toBe(true);
    expect(recent.first("a", 1_500)).toBe(false);
  });

  it("keeps at most `max` keys, forgetting the oldest first, however many distinct keys come", () => {
    const recent = createRecent({ max: 100, ttlMs: 60_000 });
    for (let i = 0; i < 10_000; i++) recent.first(`k${i}`, i);
    expect(recent.size).toBe(100);
    expect(recent.first("k9999", 10_000)).toBe(false);
    expect(recent.first("k0", 10_000)).toBe(true);
  });

  it("drops expired keys as new ones come", () => {
    const recent = createRecent({ max: 100, ttlMs: 10 });
    for (let i = 0; i < 50; i++) recent.first(`k${i}`, i * 100);
    expect(recent.size).toBe(1);
  });
});
