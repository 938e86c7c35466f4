import { describe, expect, it } from "vitest";
import { planUpdates, scanFiles } from "../../src/plan/index.js";
import { amd64Image, fakeLookups, planOptions } from "./lookups.js";

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const OLD = digest("a");
const NEW = digest("b");

// SPEC 2a: an alias several images share is rewritten at its anchor only if every user wants the
// same text (the rule of a shared ARG default).
describe("a YAML anchor shared by several images", () => {
  const text = (platformOfB: string) =>
    [
      `x-img: &img r.io/base:1.0@${OLD}`,
      "services:",
      "  a: {image: *img}",
      `  b: {image: *img${platformOfB}}`,
      "",
    ].join("\n");
  const registry = { digestOf: () => NEW, tagsOf: () => [] };

  it("is rewritten once, at the anchor, when every user agrees", () => {
    const files = scanFiles([{ path: "compose.yaml", content: text("") }]);
    const plan = planUpdates(files, fakeLookups(files, planOptions(), registry), planOptions());
    expect(plan.updates.map((u) => [u.line, u.action])).toEqual([
      [3, "bump"],
      [4, "bump"],
    ]);
    expect(plan.changes).toEqual([{ path: "compose.yaml", before: text(""), after: text("").replace(OLD, NEW) }]);
  });

  it("is left alone, both users skipped with the reason, when they resolve differently", () => {
    // b runs on arm64 and the tag now serves a single amd64 image: b is held back, so a may not move it.
    const content = text(", platform: linux/arm64");
    const files = scanFiles([{ path: "compose.yaml", content }]);
    const plan = planUpdates(
      files,
      fakeLookups(files, planOptions(), { ...registry, manifestOf: (_k, d) => amd64Image(d) }),
      planOptions(),
    );
    expect(plan.updates.map((u) => [u.line, u.action, u.reason?.code])).toEqual([
      [3, "skip", "shares-text"],
      [4, "skip", "single-platform"],
    ]);
    expect(plan.changes).toEqual([]);
  });
});
