import { describe, expect, it } from "vitest";
import type { Ignore } from "../../src/dashboard/index.js";
import type { SourceFile, Update } from "../../src/plan/index.js";
import { blockingReview, closedIgnore, decideProposals, holdBack, skippedHolds } from "../../src/proposals/index.js";
import { desired, marker, proposalInput, REGISTRY, update } from "./support.js";

// What holds a proposal back (ignores, minimumAge), what skips the holds (advisories), and whose
// commits and reviews count: plain values in, plain values out.
const HOUR = 3_600_000;
const NOW = Date.parse("2024-03-01T00:00:00Z");

/** A bump of `name` from a one-line Dockerfile, with its edit. */
function bump(name: string): { update: Update; file: SourceFile } {
  const content = `FROM ${REGISTRY}/${name}:latest@sha256:old\n`;
  const start = content.indexOf("sha256:old");
  return {
    update: update(name, "bump", { edits: [{ range: { start, end: start + 10 }, text: "sha256:new" }] }),
    file: { path: `${name}/Dockerfile`, content },
  };
}

const ignore = (kind: "image" | "digest", name: string): Ignore => ({
  kind,
  image: `${REGISTRY}/${name}`,
  tag: "latest",
  ...(kind === "digest" && { digest: "sha256:new" }),
  reason: "command",
  at: "2024-01-01T00:00:00.000Z",
});

describe("holdBack", () => {
  const a = bump("a").update;
  const input = { updates: [a], ignores: [], minimumAgeMs: null, firstSeen: new Map(), nowMs: NOW };

  it.each([
    ["an ignored image", { ignores: [ignore("image", "a")] }, { kind: "ignored", ignore: "image" }],
    ["an ignored digest", { ignores: [ignore("digest", "a")] }, { kind: "ignored", ignore: "digest" }],
    [
      "a digest first seen now, under minimumAge",
      { minimumAgeMs: 24 * HOUR },
      { kind: "held-minimum-age", until: "2024-03-02T00:00:00.000Z" },
    ],
    [
      "a digest seen an hour ago, under minimumAge",
      { minimumAgeMs: 24 * HOUR, firstSeen: new Map([[`${REGISTRY}/a@sha256:new`, NOW - HOUR]]) },
      { kind: "held-minimum-age", until: "2024-03-01T23:00:00.000Z" },
    ],
  ])("holds %s", (_what, change, state) => {
    const result = holdBack({ ...input, ...change });
    expect(result.proposing).toEqual([]);
    expect([...result.held.values()]).toEqual([state]);
  });

  it("proposes a digest seen long enough, and what is not a proposal", () => {
    const firstSeen = new Map([[`${REGISTRY}/a@sha256:new`, NOW - 25 * HOUR]]);
    const current = update("b", "none");
    const result = holdBack({ ...input, updates: [a, current], minimumAgeMs: 24 * HOUR, firstSeen });
    expect(result.proposing).toEqual([a, current]);
    expect(result.sightings.size).toBe(0);
  });

  it("returns first sightings and leaves what it is given alone", () => {
    const firstSeen = new Map<string, number>();
    const result = holdBack({ ...input, minimumAgeMs: HOUR, firstSeen });
    expect(firstSeen.size).toBe(0);
    expect([...result.sightings]).toEqual([[`${REGISTRY}/a@sha256:new`, NOW]]);
  });
});

describe("decideProposals", () => {
  const a = bump("a");
  const b = bump("b");
  const input = proposalInput([a.update, b.update], [a.file, b.file], new Date(NOW));

  it("one PR per image, or one in all with group: all", () => {
    expect(decideProposals(input).desired.map((pr) => pr.branch)).toEqual([
      "repin/r.io/a/latest",
      "repin/r.io/b/latest",
    ]);
    const all = decideProposals({ ...input, group: "all" }).desired;
    expect(all.map((pr) => [pr.branch, pr.title, pr.changes.length])).toEqual([["repin/all", "Bump 2 base images", 2]]);
  });

  it("a bump that fixes an advisory skips minimumAge and is urgent (skips the schedule)", () => {
    const verdicts = { fixes: new Map([[a.update, ["CVE-1"]]]), unsure: new Set<Update>() };
    const decided = decideProposals({ ...input, minimumAgeMs: HOUR, verdicts });
    expect(decided.desired.map((pr) => pr.branch)).toEqual(["repin/r.io/a/latest"]);
    expect([...decided.urgent]).toEqual(["repin/r.io/a/latest"]);
    expect([...decided.skippedAge]).toEqual(["repin/r.io/a/latest"]);
    expect([...decided.held.keys()]).toEqual([b.update]);
    expect(decided.counts.get("repin/r.io/a/latest")).toBe(1);
    expect(skippedHolds(decided, "repin/r.io/a/latest", true)).toEqual(["schedule", "minimumAge"]);
    expect(skippedHolds(decided, "repin/r.io/a/latest", false)).toEqual(["minimumAge"]);
    expect(skippedHolds(decided, "repin/r.io/b/latest", true)).toEqual([]);
  });

  it("counts advisories only where every image answered", () => {
    const verdicts = { fixes: new Map([[a.update, ["CVE-1"]]]), unsure: new Set([a.update]) };
    expect(decideProposals({ ...input, verdicts }).counts.has("repin/r.io/a/latest")).toBe(false);
  });

  it("keeps its fingerprint while nothing changes, and changes it with the ignores, the schedule or the head", () => {
    const same = decideProposals(input).fingerprint;
    expect(decideProposals({ ...input }).fingerprint).toBe(same);
    expect(decideProposals({ ...input, ignores: [ignore("digest", "a")] }).fingerprint).not.toBe(same);
    expect(decideProposals({ ...input, inSchedule: false }).fingerprint).not.toBe(same);
    expect(decideProposals({ ...input, headSha: "other" }).fingerprint).not.toBe(same);
  });
});

describe("closed-PR records", () => {
  it("a PR closed unmerged becomes a digest ignore of its image and tag; a pin without a digest records nothing", () => {
    const pr = desired("a");
    expect(closedIgnore(marker(pr), 5, new Date(NOW))).toEqual({
      kind: "digest",
      image: `${REGISTRY}/a`,
      tag: "latest",
      digest: "sha256:v2",
      reason: "closed-unmerged",
      pr: 5,
      at: "2024-03-01T00:00:00.000Z",
    });
    expect(closedIgnore(marker(pr, { digest: null }), 5, new Date(NOW))).toBeNull();
  });
});

describe("ownership", () => {
  it("a review blocks while its author's latest verdict requests changes", () => {
    const review = (id: number, user: string, state: string) => ({ id, user, state });
    expect(blockingReview([review(1, "a", "CHANGES_REQUESTED"), review(2, "a", "COMMENTED")])).toBe(1);
    expect(blockingReview([review(1, "a", "CHANGES_REQUESTED"), review(2, "a", "APPROVED")])).toBeNull();
    expect(blockingReview([review(1, "a", "CHANGES_REQUESTED"), review(3, "b", "CHANGES_REQUESTED")])).toBe(3);
    expect(blockingReview([])).toBeNull();
  });
});
