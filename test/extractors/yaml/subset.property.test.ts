/**
 * The subset reader (src/extractors/yaml/subset.ts) against the `yaml` package, differentially: for
 * any text it accepts, the same documents, the same nodes, values and source ranges; and through
 * every YAML kind, the same references, ranges and skips as the full parse gives. Texts: random
 * block YAML, the kinds' fixtures, and both with random edits that leave the subset or YAML.
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { isMap, isPair, isScalar, isSeq } from "yaml";
import { parseFull } from "../../../src/extractors/yaml/parse.js";
import { parseSubset } from "../../../src/extractors/yaml/subset.js";
import { scanFiles, type SourceFile } from "../../../src/plan/index.js";
import { CHART, FIXTURES } from "../fixtures.js";
import { blockYaml, edited } from "./block-yaml.js";

/** What the kinds read of a node: kind, value, scalar style, ranges (a collection's start only). */
function shape(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  if (isMap(node) || isSeq(node))
    return { [isMap(node) ? "map" : "seq"]: node.items.map(shape), at: node.range?.[0], flow: !!node.flow };
  if (isPair(node)) return [shape(node.key), shape(node.value)];
  if (isScalar(node)) {
    const value = typeof node.value === "number" && Number.isNaN(node.value) ? "NaN" : node.value;
    return { value, type: node.type, range: node.range?.slice(0, 2) };
  }
  return { other: String(node) };
}

/** null when the subset leaves the text to the full parser, else whether both read it alike. */
function agrees(text: string): boolean | null {
  const subset = parseSubset(text);
  if (subset === null) return null;
  const full = parseFull(text);
  expect(full.ok ? "valid YAML" : full.detail).toBe("valid YAML");
  if (!full.ok) return false;
  expect(subset.map(shape)).toEqual(full.documents.map((document) => shape(document.root)));
  return true;
}

const YAML_FIXTURES = FIXTURES.filter((fixture) => !/\.json$|Dockerfile$/.test(fixture.path)).map((f) => f.text);

describe("the block-YAML subset reader", () => {
  it("reads every random block YAML text it accepts as the yaml package does, and accepts most valid ones", () => {
    let accepted = 0;
    let valid = 0;
    fc.assert(
      fc.property(blockYaml, (text) => {
        if (agrees(text)) accepted++;
        if (parseFull(text).ok) valid++;
      }),
      { numRuns: 600 },
    );
    // Not a vacuous pass: most generated texts that are YAML at all are inside the subset.
    expect(accepted).toBeGreaterThan(valid / 2);
  });

  it("reads edited texts (out of the subset, or not YAML) as the yaml package does, or leaves them", () => {
    fc.assert(
      fc.property(edited(fc.oneof(blockYaml, fc.constantFrom(...YAML_FIXTURES))), (text) => {
        agrees(text);
      }),
      { numRuns: 1500 },
    );
  });

  it("reads the fixtures it accepts as the yaml package does", () => {
    const accepted = YAML_FIXTURES.filter((text) => agrees(text) === true);
    expect(accepted.length).toBeGreaterThan(YAML_FIXTURES.length / 3);
  });

  it("gives every YAML kind the same references, ranges and skips as the full parse", async () => {
    vi.resetModules();
    let leftToFull = 0;
    vi.doMock("../../../src/extractors/yaml/subset.js", () => ({ parseSubset: () => (leftToFull++, null) }));
    const fullOnly = (await import("../../../src/plan/index.js")).scanFiles;
    vi.doUnmock("../../../src/extractors/yaml/subset.js");
    const paths = [
      "compose.yaml",
      "k8s/app.yaml",
      ".github/workflows/ci.yml",
      "chart/values.yaml",
      "kustomization.yaml",
    ];
    const read = (scan: typeof scanFiles, files: SourceFile[]) =>
      scan(files).map(({ path, kind, references, error }) => ({ path, kind, references, error }));
    fc.assert(
      fc.property(
        fc.oneof(blockYaml, fc.constantFrom(...YAML_FIXTURES), edited(fc.constantFrom(...YAML_FIXTURES))),
        (text) => {
          const files = [...paths.map((path) => ({ path, content: text })), CHART];
          expect(read(scanFiles, files)).toEqual(read(fullOnly, files));
        },
      ),
      { numRuns: 400 },
    );
    expect(leftToFull).toBeGreaterThan(400);
  });
});
