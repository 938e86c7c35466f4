import { describe, expect, it } from "vitest";
import {
  compareApkVersions,
  compareDpkgVersionParts,
  compareDpkgVersions,
  isValidApkVersion,
  isValidDpkgVersion,
  matchApkVersion,
  parseDpkgVersion,
} from "../../src/inventory/index.js";
import { sharedJson, sharedText } from "./shared.js";

interface SignCase {
  a: string;
  b: string;
  sign: number;
}

const apk = sharedJson<{
  cases: SignCase[];
  relation_cases: { a: string; op: string; b: string; expected: boolean }[];
  validity_cases: { version: string; valid: boolean }[];
}>("vectors/apk-tools-version.json");

/** TSV rows "a<TAB>b<TAB>expected_sign" after a header line. */
function tsvRows(path: string): SignCase[] {
  const [, ...lines] = sharedText(path)
    .split("\n")
    .filter((l) => l !== "");
  return lines.map((line) => {
    const [a = "", b = "", sign = ""] = line.split("\t");
    return { a, b, sign: Number(sign) };
  });
}

describe("compareApkVersions (apk-tools test/unit/version.data)", () => {
  it.each(apk.cases)("$a vs $b → $sign", ({ a, b, sign }) => {
    expect(compareApkVersions(a, b)).toBe(sign);
  });

  it.each(tsvRows("vectors/apk-tools-version.tsv"))("tsv: $a vs $b → $sign", ({ a, b, sign }) => {
    expect(compareApkVersions(a, b)).toBe(sign);
  });

  it.each(apk.cases)("antisymmetric: $b vs $a", ({ a, b, sign }) => {
    expect(compareApkVersions(b, a)).toBe(-sign || 0);
  });

  it("has every upstream row", () => {
    expect(apk.cases.length).toBe(738);
    expect(tsvRows("vectors/apk-tools-version.tsv").length).toBe(738);
  });
});

describe("matchApkVersion (relation rows)", () => {
  it.each(apk.relation_cases)("$a $op $b is $expected", ({ a, op, b, expected }) => {
    expect(matchApkVersion(a, op, b)).toBe(expected);
  });
});

describe("isValidApkVersion (validity rows)", () => {
  it.each(apk.validity_cases)("'$version' valid=$valid", ({ version, valid }) => {
    expect(isValidApkVersion(version)).toBe(valid);
  });
});

const dpkg = sharedJson<{ cases: SignCase[] }>("vectors/dpkg-version.json");

describe("compareDpkgVersions (dpkg scripts/t/Dpkg_Version.t)", () => {
  it.each(dpkg.cases)("$a vs $b → $sign", ({ a, b, sign }) => {
    expect(compareDpkgVersions(a, b)).toBe(sign);
  });

  it.each(tsvRows("vectors/dpkg-version.tsv"))("tsv: $a vs $b → $sign", ({ a, b, sign }) => {
    expect(compareDpkgVersions(a, b)).toBe(sign);
  });

  it.each(dpkg.cases)("antisymmetric: $b vs $a", ({ a, b, sign }) => {
    expect(compareDpkgVersions(b, a)).toBe(-sign || 0);
  });
});

type VersionObject = { epoch: number; version: string | null; revision: string | null };
type TCase = { a: string | VersionObject; b: string | VersionObject; sign?: number; sign_nonzero?: boolean };

const tVersion = sharedJson<{ cases: TCase[] }>("vectors/dpkg-t-version-c.json");

// The C test builds structs directly (a null field is an empty string there).
function toParts(v: string | VersionObject) {
  if (typeof v === "string") return parseDpkgVersion(v);
  return { epoch: v.epoch, version: v.version ?? "", revision: v.revision ?? "" };
}

describe("compareDpkgVersionParts (dpkg lib/dpkg/t/t-version.c)", () => {
  it.each(tVersion.cases.map((c) => ({ ...c, label: JSON.stringify([c.a, c.b]) })))("$label", (c) => {
    const r = compareDpkgVersionParts(toParts(c.a), toParts(c.b));
    if (c.sign_nonzero) expect(r).not.toBe(0);
    else expect(r).toBe(c.sign);
  });
});

describe("isValidDpkgVersion", () => {
  it.each([
    ["1:2.3-4", true],
    ["2020a-0+deb10u1", true],
    ["1:5.1.1-12ubuntu1", true],
    ["1:5.#", false],
    ["5.#", false],
    ["", false],
    ["a1.0", false],
    ["1.0-", false],
    ["x:1.0", false],
  ] as const)("%s → %s", (v, valid) => {
    expect(isValidDpkgVersion(v)).toBe(valid);
  });
});
