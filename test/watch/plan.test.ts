import { describe, expect, it } from "vitest";
import { hasMoved, jobsFor, pauseUntil, planTick, type TagUser, type WatchedTag } from "../../src/watch/index.js";

const tag = (registry: string, repository: string, name: string, digest: string | null = "sha256:a"): WatchedTag => ({
  registry,
  repository,
  tag: name,
  digest,
});
const user = (owner: string, name: string): TagUser => ({ installationId: owner === "acme" ? 1 : 2, owner, name });

describe("pauseUntil", () => {
  it.each([
    ["a plain answer", { kind: "answer" } as const, null],
    ["requests left", { kind: "answer", rateLimit: { remaining: 3, resetMs: null } } as const, null],
    ["none left, reset said", { kind: "answer", rateLimit: { remaining: 0, resetMs: 30_000 } } as const, 31_000],
    ["none left, reset not said", { kind: "answer", rateLimit: { remaining: 0, resetMs: null } } as const, 301_000],
    ["429 with Retry-After", { kind: "rate-limited", retryAfterMs: 120_000 } as const, 121_000],
    ["429 without Retry-After", { kind: "rate-limited", retryAfterMs: null } as const, 301_000],
  ])("%s", (_, signal, until) => {
    expect(pauseUntil(signal, 1000, 300_000)).toBe(until);
  });
});

describe("planTick", () => {
  const scopeOf = (owner: string) => (owner === "acme" ? "credentialed" : "anonymous");

  it("asks each tag once per credential scope, grouped by registry, and none of a paused registry", () => {
    const node = tag("docker.io", "library/node", "22");
    const app = tag("ghcr.io", "acme/app", "1");
    const paused = tag("quay.io", "org/tool", "2");
    const plan = planTick(
      [
        { tag: node, users: [user("acme", "api"), user("acme", "web"), user("other", "site")] },
        { tag: app, users: [user("acme", "api")] },
        { tag: paused, users: [user("acme", "api")] },
        { tag: tag("docker.io", "library/unused", "1"), users: [] },
      ],
      scopeOf,
      new Map([
        ["quay.io", 5000],
        ["ghcr.io", 500],
      ]),
      1000,
    );
    const summary = [...plan.ask].map(([registry, probes]) => [
      registry,
      probes.map((p) => `${p.tag.repository}:${p.tag.tag} ${p.scope} ${p.users.map((u) => u.name).join(",")}`),
    ]);
    expect(summary).toEqual([
      ["docker.io", ["library/node:22 credentialed api,web", "library/node:22 anonymous site"]],
      ["ghcr.io", ["acme/app:1 credentialed api"]],
    ]);
    expect(plan.paused).toEqual([paused]);
  });
});

describe("hasMoved", () => {
  it.each([
    ["sha256:a", "sha256:a", "tick", false],
    ["sha256:a", "sha256:b", "tick", true],
    [null, "sha256:b", "tick", false],
    [null, "sha256:b", "hint", true],
    ["sha256:b", "sha256:b", "hint", false],
  ] as const)("recorded %s, seen %s, by a %s: %s", (recorded, seen, trigger, moved) => {
    expect(hasMoved(recorded, seen, trigger)).toBe(moved);
  });
});

describe("jobsFor", () => {
  it("queues each user once, seen when the answer came, saying which tag moved", () => {
    const jobs = jobsFor(tag("docker.io", "library/node", "22"), [user("acme", "api"), user("Acme", "API")], 77);
    expect(jobs).toEqual([
      { installationId: 1, owner: "acme", repo: "api", reason: "tag docker.io/library/node:22 moved", seenAt: 77 },
    ]);
  });
});
