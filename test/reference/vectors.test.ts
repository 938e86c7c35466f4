import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  familiarName,
  familiarString,
  parseAnyReference,
  parseDigest,
  parseDockerRef,
  parseNamed,
  parseNormalizedNamed,
  parseReference,
  referenceName,
  referenceString,
  withDigest,
  withName,
  withTag,
} from "../../src/reference/index.js";
import {
  anchoredDomainRegexp,
  anchoredIdentifierRegexp,
  anchoredNameRegexp,
  referenceRegexp,
} from "../../src/reference/regexp.js";

type Row = Record<string, any>;
const load = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../shared/vectors/${file}`, import.meta.url), "utf8"));
const cases = load("distribution-reference-cases.json");
const section = (name: string): Row[] => cases.sections[name].cases;

/** Sections that are about matching, not parsing or normalization. */
const NOT_IMPLEMENTED = ["FamiliarMatch"];

describe("distribution/reference vectors", () => {
  it("covers every section except the ones listed as not implemented", () => {
    const tested = [
      "Parse",
      "WithName_failures",
      "WithName_DomainAndPath",
      "Field_JSON_serialization",
      "WithTag",
      "WithDigest",
      "ParseNamed",
      "ParseNormalizedNamed_valid",
      "ParseNormalizedNamed_invalid",
      "ParseNormalizedNamed_repositoryInfo",
      "ParseNormalizedNamed_tagAndDigest",
      "InvalidReferenceComponents",
      "ParseAnyReference",
      "ParseNormalizedNamed_DomainPath",
      "ParseDockerRef",
      "regexp_domain",
      "regexp_fullName",
      "regexp_reference",
      "regexp_identifier",
    ];
    expect([...tested, ...NOT_IMPLEMENTED].sort()).toEqual(Object.keys(cases.sections).sort());
  });

  it.each(section("Parse"))("Parse $input", (row) => {
    const r = parseReference(row.input);
    if (row.error) {
      expect(r.ok ? null : r.error.name).toBe(row.error.name);
      if (!r.ok) expect(r.error.message).toBe(row.error.message);
      return;
    }
    if (!r.ok) throw new Error(r.error.message);
    expect(referenceString(r.reference)).toBe(row.expected.string);
    expect(referenceName(r.reference)).toBe(row.expected.name);
    expect(r.reference.domain).toBe(row.expected.domain);
    expect(r.reference.tag).toBe(row.expected.tag);
    expect(r.reference.digest).toBe(row.expected.digest);
  });

  it.each(section("WithName_failures"))("WithName fails on $input", (row) => {
    const r = withName(row.input);
    expect(r.ok ? null : r.error.name).toBe(row.error.name);
  });

  it.each(section("WithName_DomainAndPath"))("WithName $input", (row) => {
    const r = withName(row.input);
    expect(r.ok && { domain: r.reference.domain, path: r.reference.path }).toEqual(row.expected);
  });

  it.each(section("Field_JSON_serialization"))("Field round trip $input", (row) => {
    const r = parseReference(row.input ?? "");
    if (row.error) return expect(r.ok ? null : r.error.name).toBe(row.error.name);
    if (!r.ok) throw new Error(r.error.message);
    expect({ name: referenceName(r.reference), tag: r.reference.tag, digest: r.reference.digest }).toEqual(
      row.expected,
    );
    expect(JSON.stringify({ Field: referenceString(r.reference) })).toBe(JSON.stringify({ Field: row.input }));
  });

  it.each([...section("WithTag"), ...section("WithDigest")])("With* $name $tag $digest", (row) => {
    const named = withName(row.name);
    if (!named.ok) throw new Error(named.error.message);
    let ref = named.reference;
    const steps = section("WithTag").includes(row) ? (["digest", "tag"] as const) : (["tag", "digest"] as const);
    for (const step of steps) {
      if (!row[step]) continue;
      const r = step === "tag" ? withTag(ref, row.tag) : withDigest(ref, row.digest);
      if (!r.ok) throw new Error(r.error.message);
      ref = r.reference;
    }
    expect(referenceString(ref)).toBe(row.expected);
  });

  it.each(section("ParseNamed"))("ParseNamed $input", (row) => {
    const r = parseNamed(row.input);
    if (row.error) return expect(r.ok ? null : r.error.name).toBe(row.error.name);
    expect(r.ok && { domain: r.reference.domain, path: r.reference.path }).toEqual(row.expected);
  });

  it.each([...section("ParseNormalizedNamed_valid"), ...section("ParseNormalizedNamed_invalid")])(
    "ParseNormalizedNamed $input valid=$valid",
    (row) => {
      expect(parseNormalizedNamed(row.input).ok).toBe(row.valid);
    },
  );

  it.each(section("ParseNormalizedNamed_repositoryInfo"))("repository info $input", (row) => {
    const r = parseNormalizedNamed(row.input);
    if (!r.ok) throw new Error(r.error.message);
    expect({
      familiarName: familiarName(r.reference),
      fullName: referenceName(r.reference),
      domain: r.reference.domain,
      path: r.reference.path,
    }).toEqual(row.expected);
  });

  it.each(section("ParseNormalizedNamed_tagAndDigest"))("tag and digest $input", (row) => {
    const r = parseNormalizedNamed(row.input);
    if (!r.ok) throw new Error(r.error.message);
    expect(referenceString(r.reference)).toBe(row.expected.string);
    expect(r.reference.tag !== "").toBe(row.expected.isTagged);
    expect(r.reference.digest !== "").toBe(row.expected.isCanonical);
    expect(familiarString(r.reference)).toBe(row.expected.familiarString);
  });

  it.each(section("InvalidReferenceComponents"))("invalid component $op", (row) => {
    const base = withName(row.name ?? "x");
    if (!base.ok) throw new Error(base.error.message);
    const r =
      row.op === "ParseNormalizedNamed"
        ? parseNormalizedNamed(row.input)
        : row.op === "WithTag"
          ? withTag(base.reference, row.tag)
          : withDigest(base.reference, row.digest);
    expect(r.ok).toBe(row.valid);
  });

  it.each(section("ParseAnyReference"))("ParseAnyReference $input", (row) => {
    const r = parseAnyReference(row.input);
    if (!r.ok) throw new Error(r.error.message);
    const text = r.value.kind === "digestReference" ? r.value.digest : referenceString(r.value.reference);
    expect(text).toBe(row.expected.string);
    expect(r.value.kind === "digestReference").toBe(row.expected.kind === "digestReference");
  });

  it.each(section("ParseNormalizedNamed_DomainPath"))("domain and path $input", (row) => {
    const r = parseNormalizedNamed(row.input);
    expect(r.ok && { domain: r.reference.domain, path: r.reference.path }).toEqual(row.expected);
  });

  it.each(section("ParseDockerRef"))("ParseDockerRef $name", (row) => {
    const r = parseDockerRef(row.input);
    expect(r.ok && referenceString(r.reference)).toBe(row.expected);
  });

  it.each(section("regexp_domain"))("domain regexp $input", (row) => {
    expect(anchoredDomainRegexp.test(row.input)).toBe(row.match);
  });

  it.each(section("regexp_fullName"))("name regexp $input", (row) => {
    const m = anchoredNameRegexp.exec(row.input);
    expect(m !== null).toBe(row.match);
    if (m && row.subs) expect([m[1] ?? "", m[2] ?? ""]).toEqual(row.subs);
  });

  it.each(section("regexp_reference"))("reference regexp $input", (row) => {
    const m = referenceRegexp.exec(row.input);
    expect(m !== null).toBe(row.match);
    if (m && row.subs) expect([m[1] ?? "", m[2] ?? "", m[3] ?? ""]).toEqual(row.subs);
  });

  it.each(section("regexp_identifier"))("identifier regexp $input", (row) => {
    expect(anchoredIdentifierRegexp.test(row.input)).toBe(row.match);
  });
});

describe("go-digest Parse vectors", () => {
  it.each(load("go-digest-parse-cases.json").cases as Row[])("parseDigest $input", (row) => {
    const r = parseDigest(row.input);
    if (row.error) {
      expect(r.ok ? null : r.error).toEqual(row.error);
      return;
    }
    expect(r.ok && r.digest).toEqual(row.expected);
  });
});
