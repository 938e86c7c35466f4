import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { extractReferences } from "../../src/dockerfile/index.js";

const root = fileURLToPath(new URL("../../../shared/corpus/buildkit-parser/", import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** The `(from "…")` lines of BuildKit's expected parse, minus scratch (not an image). */
function expectedFroms(result: string): string[] {
  return [...result.matchAll(/^\(from "((?:[^"\\]|\\.)*)"/gm)]
    .map((m) => JSON.parse(`"${m[1]}"`) as string)
    .filter((f) => f !== "scratch");
}

describe("BuildKit parser corpus", () => {
  const all = filesUnder(root);

  it("has the three corpus folders", () => {
    expect(all.some((f) => f.includes("/testfiles/"))).toBe(true);
    expect(all.some((f) => f.includes("/testfiles-negative/"))).toBe(true);
    expect(all.some((f) => f.includes("/testfile-line/"))).toBe(true);
  });

  it.each(all.map((f) => [f.slice(root.length), f]))("%s goes through extraction", (_name, file) => {
    const result = extractReferences(readFileSync(file, "utf8"));
    expect(result.error).toBeNull();
  });

  const cases = readdirSync(join(root, "testfiles")).filter((d) => existsSync(join(root, "testfiles", d, "result")));
  it.each(cases)("testfiles/%s: FROM images match BuildKit's result", (dir) => {
    const content = readFileSync(join(root, "testfiles", dir, "Dockerfile"), "utf8");
    const expected = expectedFroms(readFileSync(join(root, "testfiles", dir, "result"), "utf8"));
    const found = extractReferences(content).references.filter((r) => r.instruction === "FROM");
    expect(found.map((r) => r.expanded)).toEqual(expected);
    for (const r of found) {
      if (r.tagRange) expect(content.slice(r.tagRange.start, r.tagRange.end)).toBe(r.ref?.tag);
      const t = r.tagTemplate;
      if (t) expect(t.before + content.slice(t.range.start, t.range.end) + t.after).toBe(r.ref?.tag);
    }
  });

  it("reports the line of FROM after a directive and blank lines (testfile-line)", () => {
    const [r] = extractReferences(readFileSync(join(root, "testfile-line", "Dockerfile"), "utf8")).references;
    expect(r).toMatchObject({ line: 5, expanded: "brimstone/ubuntu:14.04" });
  });
});
