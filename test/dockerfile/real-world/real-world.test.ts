/**
 * Real Dockerfiles from public repositories (sources.json says where each came
 * from, byte for byte): extraction finds exactly the references read by hand in
 * expected.json, and its ranges point at the characters they claim. Their FROM
 * images are also checked against dockerfile-ast in ../dockerfile-ast.test.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  extractReferences,
  type InstructionKind,
  type SkipReason,
  type TextRange,
} from "../../../src/dockerfile/index.js";

interface Expected {
  readonly instruction: InstructionKind;
  readonly expanded: string;
  readonly line: number;
  readonly pinned: boolean;
  readonly skip: SkipReason | null;
  readonly platform: string | null;
}

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const fixtures = readdirSync(here("./fixtures/"))
  .map((f) => f.replace(/\.Dockerfile$/, ""))
  .sort();
const expected = JSON.parse(readFileSync(here("./expected.json"), "utf8")) as Record<string, Expected[]>;
const sources = JSON.parse(readFileSync(here("./sources.json"), "utf8")) as Record<
  string,
  { repository: string; path: string; commit: string }
>;
const read = (name: string): string => readFileSync(here(`./fixtures/${name}.Dockerfile`), "utf8");
const at = (content: string, r: TextRange): string => content.slice(r.start, r.end);

describe("real-world Dockerfiles", () => {
  it("every fixture has a source and an expectation, and nothing else does", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(35);
    expect(Object.keys(sources).sort()).toEqual(fixtures);
    expect(Object.keys(expected).sort()).toEqual(fixtures);
    for (const s of Object.values(sources)) expect(s.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it.each(fixtures)("%s: exactly the references read by hand", (name) => {
    const result = extractReferences(read(name));
    expect(result.error).toBeNull();
    const found = result.references.map((r) => ({
      instruction: r.instruction,
      expanded: r.expanded,
      line: r.line,
      pinned: r.ref?.digest != null,
      skip: r.skip?.reason ?? null,
      platform: r.platform,
    }));
    expect(found).toEqual(expected[name]);
  });

  it.each(fixtures)("%s: digest and tag ranges hold the characters they claim", (name) => {
    const content = read(name);
    for (const r of extractReferences(content).references) {
      if (r.digestRange) expect(at(content, r.digestRange)).toBe(r.ref?.digest);
      if (r.tagRange) expect(at(content, r.tagRange)).toBe(r.ref?.tag);
      if (r.tagTemplate)
        expect(r.tagTemplate.before + at(content, r.tagTemplate.range) + r.tagTemplate.after).toBe(r.ref?.tag);
      // a pinned reference written in one piece must be rewritable: its digest characters are in the file
      if (r.ref?.digest && !r.expanded.includes("$")) expect(r.digestRange).not.toBeNull();
      if (r.pinInsertAt !== null)
        expect(content.slice(r.pinInsertAt - (r.ref?.tag?.length ?? 0), r.pinInsertAt)).toBe(r.ref?.tag);
    }
  });
});
