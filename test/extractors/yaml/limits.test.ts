import { describe, expect, it } from "vitest";
import { compose } from "../../../src/extractors/compose/index.js";
import { kubernetes } from "../../../src/extractors/kubernetes/index.js";
import { exceededLimit, YAML_LIMITS } from "../../../src/extractors/yaml/index.js";

// Bad input costs bounded time and memory and is one `limit-exceeded` (or `parse-error`) skip.
// The figures in src/extractors/yaml/limits.ts come from `npm run bench`-style runs, not from here:
// these tests only check that each hostile shape is refused or read, never that it is fast.
const MiB = 1024 * 1024;

describe("YAML bounds", () => {
  it("an alias bomb (billions of aliases once expanded) is read without expanding a single alias", () => {
    const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 40; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(", ")}]`,
      );
    lines.push("services:", "  web:", "    image: redis:7", "    labels: *a39");
    const result = compose.extract("compose.yaml", lines.join("\n") + "\n");
    expect(result.error).toBeNull();
    expect(result.references.map((r) => r.expanded)).toEqual(["redis:7"]);
  });

  it("an alias bomb under services: each alias is visited once, never expanded", () => {
    const lines = ["x0: &x0 {image: redis:7}"];
    for (let i = 1; i < 30; i++)
      lines.push(
        `x${i}: &x${i} [${Array(10)
          .fill(`*x${i - 1}`)
          .join(", ")}]`,
      );
    lines.push("services: *x29");
    const result = compose.extract("compose.yaml", lines.join("\n") + "\n");
    // services is a list here, not a mapping: nothing to read, and nothing was expanded.
    expect(result).toEqual({ references: [], error: null });
  });

  it("deep flow nesting is refused before the parser sees it", () => {
    const text = `services: ${"[".repeat(500_000)}${"]".repeat(500_000)}\n`;
    const result = compose.extract("compose.yaml", text);
    expect(result.errorReason).toBe("limit-exceeded");
    expect(result.error).toContain(`nest deeper than ${YAML_LIMITS.maxFlowDepth}`);
  });

  it("deep block nesting is refused", () => {
    const text = Array.from({ length: 5000 }, (_, i) => `${" ".repeat(i)}k:`).join("\n");
    expect(compose.extract("compose.yaml", text).errorReason).toBe("limit-exceeded");
  });

  it("a 1 MiB single-line file: read when it is one long scalar, refused when it is 60,000 flow items", () => {
    const scalar = `services: {web: {image: "redis:7"}, x: ${"y".repeat(MiB - 100)}}`;
    expect(scalar.length).toBeLessThan(MiB);
    const read = compose.extract("compose.yaml", scalar);
    expect(read.error).toBeNull();
    expect(read.references.map((r) => r.expanded)).toEqual(["redis:7"]);

    const items = `{${Array.from({ length: 60_000 }, (_, i) => `k${i}: v`).join(", ")}}`;
    expect(items.length).toBeLessThan(MiB);
    expect(exceededLimit(items)).toContain("more than 50000 lines and items");
    expect(compose.extract("compose.yaml", items).errorReason).toBe("limit-exceeded");
  });

  it("a 1 MiB single line with no manifest words is not parsed: invalid YAML, and no error", () => {
    const text = `x: [${"y".repeat(MiB - 10)}`;
    expect(kubernetes.extract("big.yaml", text)).toEqual({ references: [], error: null });
  });

  it("quotes, comments and `it's` do not fool the nesting count", () => {
    expect(
      exceededLimit(`a: "${"[".repeat(100)}"\nb: '${"{".repeat(100)}'\n# ${"[".repeat(100)}\nc: it's [fine]\n`),
    ).toBeNull();
  });

  it("invalid YAML is one error with the parser's line", () => {
    const result = kubernetes.extract("x.yaml", "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: [a\n");
    expect(result.errorReason).toBe("parse-error");
    expect(result.error).toMatch(/^invalid YAML at line [56]: /);
  });
});
