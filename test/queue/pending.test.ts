import { describe, expect, it } from "vitest";
import { afterFailure, jobKey, mergeJob, nextDue, runnable, type PendingJob } from "../../src/queue/index.js";

const job = (repo: string, seenAt: number, extra: Partial<PendingJob> = {}): PendingJob => ({
  installationId: 1,
  owner: "acme",
  repo,
  reason: "watch",
  seenAt,
  attempts: 0,
  notBefore: 0,
  ...extra,
});

describe("mergeJob", () => {
  it.each([
    ["a new repository waits from now", undefined, job("api", 50), { seenAt: 50, attempts: 0, notBefore: 100 }],
    ["an earlier sighting wins", job("api", 70), job("api", 50), { seenAt: 50, attempts: 0, notBefore: 0 }],
    ["a later sighting keeps the earlier one", job("api", 30), job("api", 50), { seenAt: 30, notBefore: 0 }],
    [
      "a job waiting for its backoff runs now, its failures still counted",
      job("api", 30, { attempts: 2, notBefore: 900 }),
      job("api", 50),
      { seenAt: 30, attempts: 2, notBefore: 100 },
    ],
  ] as const)("%s", (_, waiting, queued, expected) => {
    expect(mergeJob(waiting, queued, 100)).toMatchObject(expected);
  });

  it("keeps the reason of the earliest sighting", () => {
    expect(mergeJob(job("api", 70), { ...job("api", 20), reason: "event" }, 100).reason).toBe("event");
  });
});

describe("afterFailure", () => {
  const policy = { maxAttempts: 4, baseMs: 1000, maxMs: 3000 };
  it.each([
    [0, 1000],
    [1, 2000],
    [2, 3000],
  ])("after %i failures the next waits %i ms", (attempts, wait) => {
    expect(afterFailure(job("api", 0, { attempts }), 10_000, policy)).toMatchObject({
      attempts: attempts + 1,
      notBefore: 10_000 + wait,
    });
  });

  it("gives up after maxAttempts runs", () => {
    expect(afterFailure(job("api", 0, { attempts: 3 }), 0, policy)).toBeNull();
  });
});

describe("runnable", () => {
  it("takes due jobs of idle repositories, oldest sighting first, up to the free slots", () => {
    const waiting = [job("c", 30), job("a", 10), job("busy", 5), job("later", 1, { notBefore: 500 }), job("b", 20)];
    expect(runnable(waiting, new Set(["acme/busy"]), 100, 2).map((j) => j.repo)).toEqual(["a", "b"]);
    expect(runnable(waiting, new Set(), 100, 0)).toEqual([]);
  });

  it("nextDue names the earliest backoff still to come", () => {
    expect(nextDue([job("a", 0, { notBefore: 700 }), job("b", 0, { notBefore: 300 }), job("c", 0)], 100)).toBe(300);
    expect(nextDue([job("a", 0)], 100)).toBeNull();
  });

  it("one key per repository, whatever the case", () => {
    expect(jobKey({ owner: "Acme", repo: "API" })).toBe(jobKey({ owner: "acme", repo: "api" }));
  });
});
