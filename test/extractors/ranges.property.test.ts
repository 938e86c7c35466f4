/**
 * For any file of the fixtures (real-world and hostile) and any registry answer — tags that moved or
 * not, newer tags or not, pin on or off, any updateTags policy — applying the plan changes only the
 * characters of the ranges the plan reports, those ranges are the references' own tag and digest
 * ranges (or their pin points), and the file still reads as the same references.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TextEdit } from "../../src/dockerfile/index.js";
import { planUpdates, scanFiles } from "../../src/plan/index.js";
import type { UpdateTagsPolicy } from "../../src/versioning/types.js";
import { FIXTURES, withBeside } from "./fixtures.js";
import { fakeLookups, planOptions } from "./lookups.js";

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
            expect(edit.text).toMatch(/^(@?sha256:[0-9a-f]{64}|[\w][\w.-]*(@sha256:[0-9a-f]{64})?|"[\w][\w.-]*")$/);

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
