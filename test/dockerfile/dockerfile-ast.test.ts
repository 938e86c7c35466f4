/**
 * dockerfile-ast 0.7.1 as an independent oracle: on the BuildKit corpus, our
 * fixtures and the real-world Dockerfiles, the FROM images it finds must be the ones extractReferences finds.
 * It is not used for extraction itself: its ranges are line/character based
 * and do not map back through ARG defaults, which repin needs for rewrites.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DockerfileParser } from "dockerfile-ast";
import { describe, expect, it } from "vitest";
import { extractReferences } from "../../src/dockerfile/index.js";

const corpus = fileURLToPath(new URL("../../../shared/corpus/buildkit-parser/testfiles/", import.meta.url));
const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const realWorld = fileURLToPath(new URL("./real-world/fixtures/", import.meta.url));
const files = [
  ...readdirSync(corpus).map((d) => join(corpus, d, "Dockerfile")),
  ...readdirSync(fixtures)
    .filter((f) => !f.includes(".after."))
    .map((f) => join(fixtures, f)),
  ...readdirSync(realWorld).map((f) => join(realWorld, f)),
].filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile());

describe("FROM images agree with dockerfile-ast", () => {
  it.each(files.map((f) => [f.split("/").slice(-2).join("/"), f]))("%s", (_n, file) => {
    const content = readFileSync(file, "utf8");
    const stages = new Set<string>();
    const theirs: string[] = [];
    for (const from of DockerfileParser.parse(content).getFROMs()) {
      const image = from.getImage() ?? "";
      if (image !== "scratch" && !stages.has(image.toLowerCase())) theirs.push(image);
      const stage = from.getBuildStage();
      if (stage) stages.add(stage.toLowerCase());
    }
    const ours = extractReferences(content).references.filter((r) => r.instruction === "FROM");
    // dockerfile-ast does not expand ARGs: compare only the FROMs written without variables
    const written = theirs.map((t, i) => [t, ours[i]?.expanded] as const).filter(([t]) => !t.includes("$"));
    expect(ours.length).toBe(theirs.length);
    for (const [t, o] of written) expect(o).toBe(t);
  });
});
