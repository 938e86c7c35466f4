import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  canTagMove,
  compareVersionTags,
  parseVersionTag,
  pickNewerTag,
  type UpdateTagsPolicy,
} from "../../src/versioning/index.js";

interface TagRow {
  tag: string;
  from: string;
  expect: { prefix: "" | "v"; numbers: number[]; suffix: string | null; prerelease: boolean } | null;
}
interface PickRow {
  current: string;
  candidates: string[];
  policy: UpdateTagsPolicy;
  expect: string | null;
  why: string;
}

const load = <T>(name: string): T[] =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8")) as T[];
const tagRows = load<TagRow>("tags.json");
const pickRows = load<PickRow>("pick.json");

describe("parseVersionTag over real Docker Hub, mcr and Chainguard tag shapes", () => {
  it("has at least 100 rows, both versions and non-versions", () => {
    expect(tagRows.length).toBeGreaterThanOrEqual(100);
    expect(tagRows.filter((r) => r.expect === null).length).toBeGreaterThan(30);
  });
  it.each(tagRows.map((r) => [r.tag, r.from, r] as const))("%s (%s)", (tag, _from, row) => {
    const expected = row.expect === null ? null : { raw: tag, ...row.expect };
    expect(parseVersionTag(tag)).toEqual(expected);
  });
});

describe("pickNewerTag", () => {
  it.each(pickRows.map((r) => [r.current, r.policy, r.why, r] as const))("%s under %s: %s", (_c, _p, _w, row) => {
    expect(pickNewerTag(row.current, row.candidates, row.policy)).toBe(row.expect);
  });
  it("does not depend on the order of the candidates", () => {
    for (const row of pickRows) {
      const reversed = [...row.candidates].reverse();
      expect(pickNewerTag(row.current, reversed, row.policy), row.why).toBe(row.expect);
    }
  });
});

describe("canTagMove", () => {
  it("is true wherever pickNewerTag finds a newer tag, so skipping the tag list never hides one", () => {
    const moved = pickRows.filter((row) => pickNewerTag(row.current, row.candidates, row.policy) !== null);
    expect(moved.length).toBeGreaterThan(10);
    for (const row of moved) expect(canTagMove(row.current, row.policy), row.why).toBe(true);
  });
  it.each([
    ["3.12", "patch", false],
    ["3.12-slim", "patch", false],
    ["3.12.7", "patch", true],
    ["22-alpine", "minor", false],
    ["3.12", "minor", true],
    ["22", "major", true],
    ["3.14.0rc1", "patch", true],
    ["latest", "major", false],
    ["bookworm", "patch", false],
    ["3.12.7", "none", false],
  ] as const)("%s under %s: %s", (tag, policy, expected) => {
    expect(canTagMove(tag, policy)).toBe(expected);
  });
});

describe("compareVersionTags", () => {
  it("orders releases after their pre-releases and pre-releases numerically", () => {
    const sorted = ["3.14.0", "3.14.0rc10", "3.14.0a1", "3.14.0rc2", "3.14.0b3", "3.13.9"].sort(
      (a, b) => compareVersionTags(a, b) ?? 0,
    );
    expect(sorted).toEqual(["3.13.9", "3.14.0a1", "3.14.0b3", "3.14.0rc2", "3.14.0rc10", "3.14.0"]);
  });
  it("compares a fourth number after the first three", () => {
    expect(compareVersionTags("1.2.3.10", "1.2.3.9")).toBe(1);
    expect(compareVersionTags("1.2.3", "1.2.3.0")).toBe(0);
    expect(compareVersionTags("1.2.4.0", "1.2.3.99")).toBe(1);
  });
  it("returns null when either side is not a version", () => {
    expect(compareVersionTags("latest", "3.12")).toBeNull();
    expect(compareVersionTags("3.12", "bookworm")).toBeNull();
  });
});
