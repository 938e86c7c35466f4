import { describe, expect, it } from "vitest";
import { compose } from "../../src/extractors/compose/index.js";
import { kubernetes } from "../../src/extractors/kubernetes/index.js";
import { HOSTILE, manyDocuments, OLD, OTHER } from "./hostile.js";
import { seen } from "./support.js";

describe("hostile YAML: ranges land on the characters as written", () => {
  it("compose: anchors, merge keys, quotes, flow style, block scalars, trailing spaces", () => {
    const { path, text } = HOSTILE[0]!;
    expect(seen(compose, path, text)).toEqual([
      // a: through <<: *svc → `image: *img` on line 3 → the anchor's characters on line 1.
      { line: 3, image: `r.io/base:1.0@${OLD}`, tag: "1.0", digest: OLD, skip: null },
      // b: the alias's line, the anchor's characters.
      { line: 7, image: `r.io/base:1.0@${OLD}`, tag: "1.0", digest: OLD, skip: null },
      { line: 8, image: `r.io/base:1.0@${OLD}`, tag: "1.0", digest: OLD, skip: null },
      { line: 9, image: `r.io/other:2.1.3@${OTHER}`, tag: "2.1.3", digest: OTHER, skip: null },
      { line: 11, image: "r.io/base:1.0", tag: "1.0", digest: null, skip: null },
      // Folded over two lines: the value is not written in one place; no ranges, so never edited.
      { line: 14, image: `r.io/folded:1.0 @${OLD}`, tag: null, digest: null, skip: "invalid-reference" },
      { line: 18, image: "${REGISTRY}/app:${TAG}", tag: null, digest: null, skip: "not-literal" },
      { line: 20, image: "r.io/base:1.0", tag: "1.0", digest: null, skip: null },
    ]);
    const refs = compose.extract(path, text).references;
    expect(refs[0]!.digestRange).toEqual(refs[1]!.digestRange);
    expect(refs[1]!.platform).toBe("linux/arm64");
  });

  it("compose: a BOM, CRLF and trailing spaces", () => {
    const { path, text } = HOSTILE[1]!;
    expect(seen(compose, path, text)).toEqual([
      { line: 3, image: "r.io/web:3.2", tag: "3.2", digest: null, skip: null },
      { line: 5, image: `r.io/db:16@${OTHER}`, tag: "16", digest: OTHER, skip: null },
    ]);
  });

  it("kubernetes: CronJob, flow sequences, ephemeral containers, a document end marker, CRLF", () => {
    const { path, text } = HOSTILE[2]!;
    expect(seen(kubernetes, path, text).map((s) => [s.line, s.image, s.digest, s.skip])).toEqual([
      [9, "r.io/init:0.9", null, null],
      [11, `r.io/base:1.0@${OLD}`, OLD, null],
      [19, "$(IMAGE)", null, "not-literal"],
      [17, `r.io/other:2.1.3@${OTHER}`, OTHER, null],
    ]);
  });

  it("a 2,000-document manifest under the 1 MiB cap: every image, in bounded time", () => {
    const text = manyDocuments(2000);
    expect(text.length).toBeLessThan(1024 * 1024);
    const started = performance.now();
    const result = kubernetes.extract("big.yaml", text);
    const elapsed = performance.now() - started;
    expect(result.error).toBeNull();
    expect(result.references).toHaveLength(2000);
    expect(result.references[1999]!.line).toBe(1999 * 9 + 8);
    expect(text.slice(result.references[1999]!.digestRange!.start, result.references[1999]!.digestRange!.end)).toBe(
      OLD,
    );
    // Not a timed test (SPEC 9 budgets are benchmarks): a generous bound that only catches a blow-up.
    expect(elapsed).toBeLessThan(20_000);
  });
});
