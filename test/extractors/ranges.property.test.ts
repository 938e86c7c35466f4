/**
 * For any file of the fixtures (real-world and hostile) and any registry answer — tags that moved or
 * not, newer tags or not, pin on or off, any updateTags policy — applying the plan changes only the
 * characters of the ranges the plan reports, those ranges are the references' own tag and digest
 * ranges (or their pin points), and the file still reads as the same references.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TextEdit } from "../../src/dockerfile/index.js";
import { planUpdates, scanFiles, type SourceFile } from "../../src/plan/index.js";
import type { UpdateTagsPolicy } from "../../src/versioning/types.js";
import { HOSTILE, manyDocuments, OLD, type Fixture } from "./hostile.js";
import { fakeLookups, planOptions } from "./lookups.js";

const realWorld = (kind: string): Fixture[] => {
  const dir = fileURLToPath(new URL(`./real-world/fixtures/${kind}/`, import.meta.url));
  return readdirSync(dir).map((file) => ({
    path: kind === "compose" ? `${file.replace(/\.compose\.yaml$/, "")}/compose.yaml` : `k8s/${file}`,
    text: readFileSync(`${dir}${file}`, "utf8"),
  }));
};
/** The real-world files of the kinds with a folder of their own (`<kind>/fixtures/`), at the paths they are read at. */
const kindFixtures = (kind: string, pathOf: (file: string) => string): Fixture[] => {
  const dir = fileURLToPath(new URL(`./${kind}/fixtures/`, import.meta.url));
  return readdirSync(dir).map((file) => ({ path: pathOf(file), text: readFileSync(`${dir}${file}`, "utf8") }));
};
const CHART: SourceFile = { path: "chart/Chart.yaml", content: "apiVersion: v2\nname: app\nversion: 1.0.0\n" };
/** The file and what is read beside it (a values file's Chart.yaml). */
const withBeside = (path: string, content: string): SourceFile[] => [
  { path, content },
  ...(path.startsWith("chart/") ? [CHART] : []),
];
const FIXTURES: readonly Fixture[] = [
  ...realWorld("compose"),
  ...realWorld("kubernetes"),
  ...kindFixtures("workflow", (file) => `.github/workflows/${file}`),
  ...kindFixtures("helm", () => "chart/values.yaml"),
  ...kindFixtures("kustomize", (file) => `${file}/kustomization.yaml`),
  ...kindFixtures("devcontainer", () => ".devcontainer/devcontainer.json"),
  ...kindFixtures("dockerfile", (file) => `${file}/Dockerfile`),
  {
    path: "chart/values.yaml",
    text: `\uFEFFa: &img\r\n  repository: r.io/base # ours\r\n  tag: "1.0"\r\n  digest: ''\r\nb:\r\n  <<: *img\r\n  tag: 1.0.1\r\nc: {registry: r.io, repository: other, tag: '2.1.3', digest: "${OLD}"}\r\nd: {repository: r.io/n, tag: 7.2}\r\n`,
  },
  {
    path: "kustomization.yaml",
    text: `images:\r\n- name: x\r\n  newName: r.io/base\r\n  newTag: "1.0" # pinned\r\n  digest: ${OLD}\r\n- {name: r.io/other, newTag: 2.1.3, digest: ""}\r\n`,
  },
  {
    path: ".github/workflows/ci.yml",
    text: `jobs:\n  a:\n    container: {image: "r.io/base:1.0@${OLD}"}\n    services: {db: {image: 'r.io/other:2.1.3'}}\n    steps:\n      - uses: docker://r.io/base:1.0\n      - uses: docker://\${{ env.X }}\n`,
  },
  {
    path: ".devcontainer/devcontainer.json",
    text: `\uFEFF{\r\n  // dev\r\n  "image": /* c */ "r.io/base:1.0@${OLD}",\r\n  "features": {},\r\n}\r\n`,
  },
  { path: "Dockerfile", text: `# escape=\`\r\n# syntax = r.io/frontend:1.7 --x\r\nFROM r.io/base:1.0@${OLD}\r\n` },
  ...HOSTILE,
  { path: "k8s/many.yaml", text: manyDocuments(40) },
];

const hex = (seed: string) => createHash("sha256").update(seed).digest("hex");
/** "1.25" → "1.26", "v12" → "v13": the next version of a tag's last number, when it has one. */
const nextTag = (tag: string) => tag.replace(/(\d+)(?!.*\d)/, (n) => String(Number(n) + 1));

/** The characters of `before` outside `edits`, in order, must be those of `after` outside the replacements. */
function outside(text: string, ranges: readonly { start: number; end: number }[]): string[] {
  const pieces: string[] = [];
  let at = 0;
  for (const range of ranges) {
    pieces.push(text.slice(at, range.start));
    at = range.end;
  }
  return [...pieces, text.slice(at)];
}

describe("property: a plan changes only the ranges it reports", () => {
  it("for any fixture and any registry answer", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FIXTURES),
        fc.string({ maxLength: 8 }),
        fc.boolean(),
        fc.constantFrom<UpdateTagsPolicy>("none", "patch", "minor", "major"),
        fc.boolean(),
        (fixture, seed, pin, updateTags, newerTags) => {
          const options = planOptions({ pin, updateTags });
          const files = scanFiles(withBeside(fixture.path, fixture.text));
          const lookups = fakeLookups(files, options, {
            // Some tags moved, some did not: decided by the seed, so shrinking finds the smallest case.
            digestOf: (key) => `sha256:${hex(hex(`${seed}${key}`)[0]! < "8" ? `${seed}${key}` : key)}`,
            tagsOf: (key) => {
              const tags = files.flatMap((f) => f.references.flatMap((r) => (r.ref?.tag ? [r.ref.tag] : [])));
              return newerTags ? [...tags, ...tags.map(nextTag)] : tags;
            },
          });
          const plan = planUpdates(files, lookups, options);

          const found = files.flatMap((f) => f.references);
          const allowed = new Set(
            found.flatMap((r) => [
              ...[r.digestRange, r.tagRange].filter((x) => x !== null).map((x) => `${x.start}:${x.end}`),
              ...(r.pinInsertAt === null ? [] : [`${r.pinInsertAt}:${r.pinInsertAt}`]),
            ]),
          );
          const edits = new Map<string, TextEdit>();
          for (const update of plan.updates)
            for (const edit of update.edits) edits.set(`${edit.range.start}:${edit.range.end}`, edit);
          for (const key of edits.keys()) expect(allowed).toContain(key);

          const change = plan.changes[0];
          if (!change) return;
          const sorted = [...edits.values()].sort((a, b) => a.range.start - b.range.start);
          const replaced: { start: number; end: number }[] = [];
          let shift = 0;
          for (const edit of sorted) {
            const start = edit.range.start + shift;
            replaced.push({ start, end: start + edit.text.length });
            shift += edit.text.length - (edit.range.end - edit.range.start);
          }
          expect(outside(change.after, replaced)).toEqual(
            outside(
              change.before,
              sorted.map((e) => e.range),
            ),
          );
          for (const edit of sorted)
            expect(edit.text).toMatch(/^(@?sha256:[0-9a-f]{64}|[\w][\w.-]*(@sha256:[0-9a-f]{64})?)$/);

          // The new file reads as the same references, on the same lines, naming the same repositories.
          const again = scanFiles(withBeside(fixture.path, change.after))[0]!;
          expect(again.error).toBeNull();
          expect(again.references.map((r) => [r.line, r.ref?.name ?? null, r.skip?.reason ?? null])).toEqual(
            found.map((r) => [r.line, r.ref?.name ?? null, r.skip?.reason ?? null]),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
