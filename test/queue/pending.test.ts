import { describe, expect, it } from "vitest";
import { jobKey, retryAt, startable, type QueuedWork } from "../../src/queue/index.js";

const work = (name: string, extra: Partial<QueuedWork> = {}): QueuedWork => ({
  installationId: 1,
  owner: "acme",
  name,
  reason: "tag moved",
  firstSeenAt: 0,
  attempts: 0,
  notBefore: 0,
  version: 1,
  ...extra,
});

describe("retryAt", () => {
  const policy = { maxAttempts: 4, baseMs: 1000, maxMs: 3000 };
  it.each([
    [0, 1000],
    [1, 2000],
    [2, 3000],
  ])("after a failure with %i before it, the job waits %i ms", (attempts, wait) => {
    expect(retryAt(work("api", { attempts }), 10_000, policy)).toBe(10_000 + wait);
  });

  it("gives up once the job has run maxAttempts times", () => {
    expect(retryAt(work("api", { attempts: 3 }), 0, policy)).toBeNull();
  });
});

describe("startable", () => {
  it("takes due rows of repositories not running, in the table's order, up to the free slots", () => {
    const due = [work("a"), work("busy"), work("b"), work("c")];
    expect(startable(due, new Set(["acme/busy"]), 2).map((w) => w.name)).toEqual(["a", "b"]);
    expect(startable(due, new Set(), 0)).toEqual([]);
  });

  it("one key per repository, whatever the case", () => {
    expect(jobKey({ owner: "Acme", name: "API" })).toBe(jobKey({ owner: "acme", name: "api" }));
  });
});
