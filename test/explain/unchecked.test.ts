import { describe, expect, it } from "vitest";
import { explainInventories, renderExplanation, type AdvisorySource } from "../../src/explain/index.js";
import type { Inventory } from "../../src/inventory/index.js";
import { renderPrExplanation } from "../../src/proposals/index.js";

// SPEC 5 "The PR body says only what repin checked": an image without a package database has no list to compare.
const noFeeds: AdvisorySource = { advisoriesFor: () => [] };
const none: Inventory = { kind: "none", packages: [] };
const apk: Inventory = { kind: "apk", packages: [{ name: "busybox", version: "1.36.1-r1" }] };

describe("explaining images without a package database", () => {
  it("compares nothing when either image has no package database, and says which", () => {
    expect(explainInventories(none, none, noFeeds)).toEqual({
      diff: null,
      fixed: [],
      introduced: [],
      ecosystem: null,
      problems: [
        "the old image has no apk or dpkg package database",
        "the new image has no apk or dpkg package database",
      ],
    });
    expect(explainInventories(apk, none, noFeeds).problems).toEqual([
      "the new image has no apk or dpkg package database",
    ]);
    expect(explainInventories(none, apk, noFeeds).diff).toBeNull();
    // Both lists read: a diff, even an empty one.
    expect(explainInventories(apk, apk, noFeeds).diff).toEqual({
      added: [],
      removed: [],
      upgraded: [],
      downgraded: [],
    });
  });

  it("never says that no package changed when nothing was compared", () => {
    const explanation = explainInventories(none, none, noFeeds);
    const section = renderExplanation(explanation);
    expect(section).not.toContain("No OS package changed");
    expect(section).not.toContain("Packages: 0");
    expect(section).toContain("The packages of the two images could not be compared");
    expect(section).toContain("> the new image has no apk or dpkg package database");
    const body = renderPrExplanation(
      { bumps: [{ image: "scratchy:1", explanation }], platform: "linux/amd64", skipped: [] },
      10_000,
    );
    expect(body).toBe(
      "> Packages not compared for `scratchy:1`: the old image has no apk or dpkg package database; the new image has no apk or dpkg package database",
    );
    expect(renderExplanation(explainInventories(apk, apk, noFeeds))).toContain("No OS package changed.");
  });
});
