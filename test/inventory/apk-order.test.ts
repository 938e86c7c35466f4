import { describe, expect, it } from "vitest";
import { compareApkVersions, isValidApkVersion } from "../../src/inventory/index.js";
import { sharedDir, sharedJson, sharedText } from "./shared.js";

// Properties of the apk order over real versions (the shared secdb feeds, package
// databases and upstream vectors) and seeded generated ones, valid and invalid.

interface Secdb {
  packages: { pkg: { name: string; secfixes?: Record<string, string[]> } }[];
}

const feeds = sharedDir("advisories/secdb").map((file) => sharedJson<Secdb>(`advisories/secdb/${file}`));
const fixedVersions = feeds.flatMap((feed) =>
  feed.packages.map(({ pkg }) => ({ name: pkg.name, fixed: Object.keys(pkg.secfixes ?? {}) })),
);

const installedVersions = sharedDir("pkgdb/apk").flatMap((file) =>
  sharedText(`pkgdb/apk/${file}`)
    .split("\n")
    .filter((line) => line.startsWith("V:"))
    .map((line) => line.slice(2)),
);

const vectorVersions = sharedJson<{ cases: { a: string; b: string }[] }>(
  "vectors/apk-tools-version.json",
).cases.flatMap(({ a, b }) => [a, b]);

// Real package versions outside apk's grammar, each pair oldest first (issue 10).
const outsideGrammar: [string, string][] = [
  ["5.7.1p1-r0", "5.7.1p1-r1"],
  ["6.6.2p1", "6.6.2p2"],
  ["0.8.21.r1", "0.8.21.r2"],
  ["9.9p1-r0", "9.9p2-r0"],
  ["1.2.3a1", "1.2.3a10"],
  ["2.0.0.RC1", "2.0.0.RC2"],
];

/** mulberry32: a small seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pieces = [
  ".1",
  ".2",
  ".10",
  ".01",
  ".0",
  "a",
  "b",
  "p1",
  "p2",
  ".r1",
  ".r2",
  "_alpha",
  "_beta2",
  "_rc1",
  "_p1",
  "_p20",
  "_git20240101",
  "~ab12",
  "-r0",
  "-r1",
  "-r10",
  "+git",
  "-foo",
  "B",
  ".",
  "_",
  "~",
  "-",
  "1",
  "10",
];

function generated(count: number, seed: number): string[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let version = next() < 0.05 ? pick(["", "v1", "x"]) : String(Math.floor(next() * 12));
    const length = Math.floor(next() * 6);
    for (let j = 0; j < length; j++) version += pick(pieces);
    out.push(version);
  }
  return out;
}

const real = [...new Set([...fixedVersions.flatMap((p) => p.fixed), ...installedVersions, ...vectorVersions])];
const sample = [...new Set([...real, ...outsideGrammar.flat(), ...generated(1500, 20261129)])];
const sign = (a: string, b: string) => compareApkVersions(a, b);

describe("apk order outside apk's grammar", () => {
  it.each(outsideGrammar)("%s < %s", (older, newer) => {
    expect(sign(older, newer)).toBe(-1);
    expect(sign(newer, older)).toBe(1);
  });

  it("still calls versions invalid that apk calls invalid", () => {
    for (const [older, newer] of outsideGrammar.slice(0, 3)) {
      expect(isValidApkVersion(older)).toBe(false);
      expect(isValidApkVersion(newer)).toBe(false);
    }
  });

  it("compares the invalid tail by its text, then as a version", () => {
    expect(sign("1.0p1", "1.0p01")).toBe(0); // numbers as apk reads them: 1 = 01 at the start of a tail
    expect(sign("1.0.r1", "1.0.s1")).toBe(-1);
    expect(sign("1.0+x2", "1.0+x10")).toBe(-1);
    expect(sign("1.0+x", "1.0+x")).toBe(0);
  });
});

describe("apk order over real secdb versions", () => {
  it("reads a real sample", () => {
    expect(fixedVersions.length).toBeGreaterThan(0);
    expect(real.length).toBeGreaterThan(500);
  });

  it("puts every fixed version above its package's earlier revisions", () => {
    let checked = 0;
    for (const { fixed } of fixedVersions) {
      for (const version of fixed) {
        const match = /^(.*)-r(\d+)$/.exec(version);
        if (!match) continue;
        const [, base = "", revision = "0"] = match;
        for (let r = 0; r < Number(revision); r++) {
          expect(sign(`${base}-r${r}`, version), `${base}-r${r} < ${version}`).toBe(-1);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("orders each package's fixed versions strictly", () => {
    for (const { fixed } of fixedVersions) {
      for (const a of fixed) for (const b of fixed) if (a !== b) expect(sign(a, b), `${a} vs ${b}`).not.toBe(0);
    }
  });
});

describe("apk order properties (real and generated versions)", () => {
  it("is reflexive and antisymmetric", () => {
    const broken: string[] = [];
    for (const a of sample) {
      if (sign(a, a) !== 0) broken.push(`${a} vs itself`);
      for (const b of sample.slice(0, 300)) if (sign(a, b) !== (-sign(b, a) || 0)) broken.push(`${a} vs ${b}`);
    }
    expect(broken).toEqual([]);
  });

  it("is total and transitive: sorted, every earlier version is at most every later one", () => {
    const sorted = [...sample].sort(sign);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        const a = sorted[i] as string;
        const b = sorted[j] as string;
        if (sign(a, b) > 0) expect.fail(`${a} > ${b} although sorted before it`);
      }
    }
  });

  it("is transitive over random triples, equality included", () => {
    const next = random(7);
    const pick = () => sample[Math.floor(next() * sample.length)] as string;
    for (let i = 0; i < 100_000; i++) {
      const [a, b, c] = [pick(), pick(), pick()];
      if (sign(a, b) <= 0 && sign(b, c) <= 0) expect(sign(a, c), `${a} ≤ ${b} ≤ ${c}`).toBeLessThanOrEqual(0);
      if (sign(a, b) === 0 && sign(b, c) === 0) expect(sign(a, c), `${a} = ${b} = ${c}`).toBe(0);
    }
  });

  it("orders any version's revisions: V-r0 < V-r1 < V-r10", () => {
    for (const base of sample.filter((v) => !/-r\d+$/.test(v))) {
      expect(sign(`${base}-r0`, `${base}-r1`), base).toBe(-1);
      expect(sign(`${base}-r1`, `${base}-r10`), base).toBe(-1);
    }
  });
});
