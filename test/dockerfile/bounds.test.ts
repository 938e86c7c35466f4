/**
 * Hostile Dockerfiles (issue 10 item 11, SPEC 10): ARG expansion is capped per word and per file, and
 * extraction stays linear. Each test asserts the bounded outcome and the work it took in expansion steps
 * (characters scanned plus characters copied), never wall time. Before the bounds, the first file aborted
 * the process with a heap OOM after 100 s, the second overflowed the stack, the third took 20 s and 3 GB.
 */
import { describe, expect, it } from "vitest";
import { EXPANSION_LIMITS, ExpansionBudget, extractReferences } from "../../src/dockerfile/index.js";

const LIMIT = EXPANSION_LIMITS;

function extract(content: string) {
  const budget = new ExpansionBudget();
  const result = extractReferences(content, budget);
  expect(result.error).toBeNull();
  // Each character of the file is scanned a bounded number of times; copies of ARG values are capped.
  expect(budget.steps).toBeLessThanOrEqual(3 * content.length + LIMIT.maxCopied);
  expect(budget.copied).toBeLessThanOrEqual(LIMIT.maxCopied);
  return { references: result.references, budget };
}

const chain = (n: number) =>
  ["ARG A0=x", ...Array.from({ length: n }, (_, i) => `ARG A${i + 1}=\${A${i}}x`), `FROM alpine:$A${n}`].join("\n");

const doubling = (n: number, froms: number) =>
  [
    "ARG A0=xx",
    ...Array.from({ length: n }, (_, i) => `ARG A${i + 1}=\${A${i}}\${A${i}}`),
    ...Array<string>(froms).fill(`FROM alpine:$A${n}`),
  ].join("\n");

const nested = (depth: number, inner: string) => "${X:-".repeat(depth) + inner + "}".repeat(depth);

describe("ARG expansion bounds", () => {
  it("20,000 chained ARGs (400 KB): the FROM is a skip once the file's copy budget is spent", () => {
    const { references, budget } = extract(chain(20_000));
    expect(references).toHaveLength(1);
    expect(references[0]!.skip?.reason).toBe("expansion-limit");
    expect(references[0]!.skip?.detail).toContain(`${LIMIT.maxCopied} characters copied`);
    expect(budget.copied).toBeGreaterThan(LIMIT.maxCopied - LIMIT.maxLength);
  });

  it("a short chain still expands", () => {
    const [r] = extract(chain(20)).references;
    expect(r).toMatchObject({ expanded: "alpine:" + "x".repeat(21), skip: null });
  });

  it("16 self-doubling ARGs and 300 FROMs: every FROM is a skip, the doubling stops at the length cap", () => {
    const { references, budget } = extract(doubling(15, 300));
    expect(references).toHaveLength(300);
    for (const r of references) {
      expect(r.skip).toEqual({
        reason: "expansion-limit",
        detail: `"alpine:$A15" expands to more than ${LIMIT.maxLength} characters`,
      });
      expect(r.expanded).toBe("alpine:$A15");
    }
    // Only values under the cap were ever copied: A1 … A11 (4 + 8 + … + 4096) and the first half of A12.
    expect(budget.copied).toBeLessThan(3 * LIMIT.maxLength);
  });

  it("doubling ARGs under the length cap but used by many FROMs spend the file's budget, then skip", () => {
    const { references } = extract(doubling(10, 300)); // A10 is 2,048 characters
    const reasons = references.map((r) => r.skip?.reason);
    // Each FROM copies 2,048 characters: the first ones are read (an invalid reference), the rest are skipped.
    const read = Math.floor((LIMIT.maxCopied - 2 * (2 ** 11 - 2)) / 2048);
    expect(reasons.slice(0, read).every((x) => x === "invalid-reference")).toBe(true);
    expect(reasons.slice(read).every((x) => x === "expansion-limit")).toBe(true);
  });

  it("nested ${X:-${X:-…}} 40,000 deep is a skip after one pass over the word", () => {
    const content = `FROM ${nested(40_000, "alpine:3")}\n`;
    const { references, budget } = extract(content);
    expect(references[0]!.skip?.reason).toBe("expansion-limit");
    expect(references[0]!.skip?.detail).toContain(`nests variables deeper than ${LIMIT.maxDepth}`);
    expect(references[0]!.expanded.length).toBeLessThanOrEqual(201);
    expect(budget.steps).toBeLessThanOrEqual(content.length + 2 * 7 * LIMIT.maxDepth);
  });

  it("nesting up to the depth cap still expands, in an ARG default too", () => {
    expect(extract(`FROM ${nested(LIMIT.maxDepth, "alpine:3")}`).references[0]).toMatchObject({
      expanded: "alpine:3",
      skip: null,
    });
    const arg = extract(`ARG Y=${nested(LIMIT.maxDepth, "alpine:3")}\nFROM $Y\n`).references[0];
    expect(arg).toMatchObject({ expanded: "alpine:3", skip: null });
  });

  it("a set value past the cap still counts as set: ${BIG:+…} takes the alternative", () => {
    const content = `ARG A=${"x".repeat(LIMIT.maxLength + 1)}\nFROM \${A:+alpine:3}\nFROM $A\n`;
    const [plus, direct] = extract(content).references;
    expect(plus).toMatchObject({ expanded: "alpine:3", skip: null });
    expect(direct!.skip?.reason).toBe("expansion-limit");
  });

  it("a 1 MB FROM line is a skip without reading past the cap", () => {
    const { references, budget } = extract(`FROM ${"a".repeat(1_000_000)}\n`);
    expect(references[0]!.skip?.reason).toBe("expansion-limit");
    expect(references[0]!.expanded.length).toBeLessThanOrEqual(201);
    expect(budget.steps).toBeLessThanOrEqual(1_000_000 + 2 * LIMIT.maxLength + 10);
  });

  it("200,000 $a in one FROM (large spreads once overflowed the stack) is a skip", () => {
    const { references } = extract(`ARG a=b\nFROM ${"$a".repeat(200_000)}\n`);
    expect(references[0]!.skip?.reason).toBe("expansion-limit");
  });
});

/**
 * Regular expressions that backtracked quadratically on one long line. Before: 112 s (directive), 100 s (CRs in a
 * heredoc) and 32 s (heredoc word) for these inputs; they are exact reads now, checked here by their outcome.
 */
describe("linear lexing", () => {
  // With the backtick escape, `FROM a:1 \`` continues into `AS b` and `FROM b` names that stage, not an image.
  const BACKTICK_PROBE = "FROM a:1 `\n  AS b\nFROM b\n";
  const images = (c: string) => extractReferences(c).references.map((r) => r.expanded);

  it("reads the directives BuildKit reads: trailing blanks and CR, a blank value, not a CR inside the value", () => {
    expect(images("# escape=` \r\n" + BACKTICK_PROBE)).toEqual(["a:1"]);
    expect(images("#escape=\t`\t\n" + BACKTICK_PROBE)).toEqual(["a:1"]);
    expect(images("# other=   \n# escape=`\n" + BACKTICK_PROBE)).toEqual(["a:1"]);
    expect(images("# other=a\rb\n# escape=`\n" + BACKTICK_PROBE)).toEqual(["a:1", "b"]);
    expect(images("# escape=`\n" + "# other=a" + " ".repeat(100_000) + "b\n" + BACKTICK_PROBE)).toEqual(["a:1"]);
  });

  it("a heredoc body line of 200,000 CRs is read in one pass", () => {
    const c = "RUN <<EOF\n" + "\r".repeat(200_000) + "x\nEOF\r\r\nFROM alpine:3\n";
    expect(extractReferences(c).references.map((r) => r.expanded)).toEqual(["alpine:3"]);
  });

  it("a heredoc word with 100,000 blanks before a < opens no heredoc", () => {
    const c = "RUN <<" + " ".repeat(100_000) + "<\nFROM alpine:3\n";
    expect(extractReferences(c).references.map((r) => r.expanded)).toEqual(["alpine:3"]);
  });

  it("a RUN line with 40,000 nested ${ (once a stack overflow) opens no heredoc and loses nothing", () => {
    const c = "RUN <<EOF " + "${X:-".repeat(40_000) + "}".repeat(40_000) + "\nEOF\nFROM alpine:3\n";
    expect(extractReferences(c)).toMatchObject({ error: null, references: [{ expanded: "alpine:3" }] });
  });
});
