import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applyEdits, extractReferences, OverlappingEditsError, type TextEdit } from "../../src/dockerfile/index.js";

const NEW = "sha256:" + "b".repeat(64);
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const withoutDigests = (s: string) => s.replace(/@?sha256:[0-9a-f]{64}/g, "");

/** What the planner does: bump every pinned digest, and pin what can be pinned when asked. */
function editsFor(content: string, pin: boolean): TextEdit[] {
  return extractReferences(content).references.flatMap((r): TextEdit[] => {
    if (r.skip) return [];
    if (r.digestRange) return [{ range: r.digestRange, text: NEW }];
    if (pin && r.pinInsertAt !== null)
      return [{ range: { start: r.pinInsertAt, end: r.pinInsertAt }, text: `@${NEW}` }];
    return [];
  });
}

describe("applyEdits fixtures (only digest characters change)", () => {
  it.each([
    ["multistage-chainguard", false],
    ["arg-digest", false],
    ["crlf-escape", false],
    ["pin", true],
  ] as const)("%s", (name, pin) => {
    const before = fixture(`${name}.Dockerfile`);
    const after = fixture(`${name}.after.Dockerfile`);
    const edits = editsFor(before, pin);
    expect(edits.length).toBeGreaterThan(0);
    const rewritten = applyEdits(before, edits);
    expect(rewritten).toBe(after);
    expect(withoutDigests(rewritten)).toBe(withoutDigests(before));
    // a second run changes nothing more
    expect(applyEdits(rewritten, editsFor(rewritten, false))).toBe(rewritten);
  });

  it("keeps the CRLF line endings", () => {
    const out = applyEdits(fixture("crlf-escape.Dockerfile"), editsFor(fixture("crlf-escape.Dockerfile"), false));
    expect(out.split("\r\n").length).toBe(fixture("crlf-escape.Dockerfile").split("\r\n").length);
  });
});

describe("applyEdits", () => {
  const content = "0123456789";

  it("applies edits given in any order", () => {
    expect(
      applyEdits(content, [
        { range: { start: 8, end: 10 }, text: "X" },
        { range: { start: 0, end: 1 }, text: "AB" },
        { range: { start: 4, end: 4 }, text: "-" },
      ]),
    ).toBe("AB123-4567X");
  });

  it("treats identical duplicate edits as one", () => {
    const e = { range: { start: 2, end: 4 }, text: "xy" };
    expect(applyEdits(content, [e, { ...e, range: { ...e.range } }])).toBe("01xy456789");
  });

  it("rejects overlapping edits with a clear error", () => {
    expect(() =>
      applyEdits(content, [
        { range: { start: 2, end: 5 }, text: "a" },
        { range: { start: 4, end: 6 }, text: "b" },
      ]),
    ).toThrow(OverlappingEditsError);
    expect(() =>
      applyEdits(content, [
        { range: { start: 2, end: 4 }, text: "a" },
        { range: { start: 2, end: 4 }, text: "b" },
      ]),
    ).toThrow(/overlap/);
  });

  it("rejects ranges outside the content", () => {
    expect(() => applyEdits(content, [{ range: { start: 5, end: 11 }, text: "" }])).toThrow(RangeError);
  });

  it("returns the content unchanged without edits", () => {
    expect(applyEdits(content, [])).toBe(content);
  });
});
