import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { addIgnore, ignoreId, isIgnored, removeIgnores } from "../../src/dashboard/index.js";
import type { Ignore } from "../../src/dashboard/index.js";

const D1 = `sha256:${"1".repeat(64)}`;
const D2 = `sha256:${"2".repeat(64)}`;
const PY = "docker.io/library/python";

const digestIgnore: Ignore = {
  kind: "digest",
  image: PY,
  tag: "3.12",
  digest: D1,
  reason: "closed-unmerged",
  by: "bob",
  pr: 7,
  at: "2024-05-01T00:00:00Z",
};
const imageIgnore: Ignore = {
  kind: "image",
  image: "docker.io/library/node",
  reason: "command",
  by: "alice",
  pr: 8,
  at: "2024-05-02T00:00:00Z",
};
const taggedImageIgnore: Ignore = {
  kind: "image",
  image: "docker.io/library/alpine",
  tag: "3.19",
  reason: "command",
  at: "2024-05-03T00:00:00Z",
};

describe("isIgnored", () => {
  const ignores = [digestIgnore, imageIgnore, taggedImageIgnore];

  it("matches a digest ignore on that digest of that image only, under any tag", () => {
    expect(isIgnored(ignores, { image: PY, tag: "3.12", digest: D1 })).toBe(true);
    expect(isIgnored(ignores, { image: PY, tag: "3", digest: D1 })).toBe(true);
    expect(isIgnored(ignores, { image: PY, tag: "3.12", digest: D2 })).toBe(false);
    expect(isIgnored(ignores, { image: "ghcr.io/x/python", tag: "3.12", digest: D1 })).toBe(false);
    expect(isIgnored(ignores, { image: PY, tag: "3.12" })).toBe(false);
  });

  it("matches an image ignore on any digest, and on its tag only when it names one", () => {
    expect(isIgnored(ignores, { image: "docker.io/library/node", tag: "20", digest: D2 })).toBe(true);
    expect(isIgnored(ignores, { image: "docker.io/library/node" })).toBe(true);
    expect(isIgnored(ignores, { image: "docker.io/library/alpine", tag: "3.19", digest: D2 })).toBe(true);
    expect(isIgnored(ignores, { image: "docker.io/library/alpine", tag: "3.20", digest: D2 })).toBe(false);
  });

  it("matches nothing with no ignores", () => {
    expect(isIgnored([], { image: PY, tag: "3.12", digest: D1 })).toBe(false);
  });
});

describe("addIgnore", () => {
  it("adds once: the same ignore again keeps the first one's who and when", () => {
    const once = addIgnore([], digestIgnore);
    const twice = addIgnore(once, { ...digestIgnore, by: "carol", at: "2025-01-01T00:00:00Z" });
    expect(twice).toEqual([digestIgnore]);
  });

  it("keeps a sorted order whatever the insertion order", () => {
    const a = addIgnore(addIgnore(addIgnore([], imageIgnore), digestIgnore), taggedImageIgnore);
    const b = addIgnore(addIgnore(addIgnore([], taggedImageIgnore), imageIgnore), digestIgnore);
    expect(a).toEqual(b);
    expect(a.map((i) => i.image)).toEqual(["docker.io/library/alpine", "docker.io/library/node", PY]);
  });

  it("gives ids from what is ignored, not who or when", () => {
    const later: Ignore = { ...digestIgnore, by: "x", at: "2020-01-01T00:00:00Z", pr: 1 };
    expect(ignoreId(digestIgnore)).toBe(ignoreId(later));
    expect(ignoreId(digestIgnore)).not.toBe(ignoreId({ ...digestIgnore, digest: D2 }));
    expect(ignoreId(imageIgnore)).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe("removeIgnores", () => {
  const ignores = [digestIgnore, { ...digestIgnore, digest: D2, pr: 9 }, imageIgnore, taggedImageIgnore];

  it("removes what `/repin unignore` on a PR means: its image and tag", () => {
    const left = removeIgnores(ignores, { image: PY, tag: "3.12" });
    expect(left).toEqual([taggedImageIgnore, imageIgnore]);
  });

  it("removes by id, kind, digest or PR", () => {
    expect(removeIgnores(ignores, { id: ignoreId(imageIgnore) })).not.toContainEqual(imageIgnore);
    expect(removeIgnores(ignores, { id: ignoreId(imageIgnore) })).toHaveLength(3);
    expect(removeIgnores(ignores, { kind: "image" })).toHaveLength(2);
    expect(removeIgnores(ignores, { image: PY, digest: D2 })).toHaveLength(3);
    expect(removeIgnores(ignores, { pr: 7 })).toHaveLength(3);
    // An ignore for every tag is removed by an unignore on any tag of that image.
    expect(removeIgnores(ignores, { image: "docker.io/library/node", tag: "20" })).not.toContainEqual(imageIgnore);
    expect(removeIgnores(ignores, { image: "docker.io/library/alpine", tag: "3.20" })).toContainEqual(
      taggedImageIgnore,
    );
  });

  it("never removes everything for an empty match", () => {
    expect(removeIgnores(ignores, {})).toHaveLength(4);
  });
});

describe("a declined tag update (`newTag`, no digest)", () => {
  const tagDecline: Ignore = {
    kind: "digest",
    image: PY,
    tag: "3.12.7",
    newTag: "3.12.8",
    reason: "closed-unmerged",
    pr: 9,
    at: "2024-05-03T00:00:00Z",
  };

  it("holds that move, whatever its digest, and not a newer tag or another tag's", () => {
    expect(isIgnored([tagDecline], { image: PY, tag: "3.12.7", newTag: "3.12.8", digest: null })).toBe(true);
    expect(isIgnored([tagDecline], { image: PY, tag: "3.12.7", newTag: "3.12.8", digest: D1 })).toBe(true);
    expect(isIgnored([tagDecline], { image: PY, tag: "3.12.7", newTag: "3.12.9", digest: null })).toBe(false);
    expect(isIgnored([tagDecline], { image: PY, tag: "3.11.2", newTag: "3.12.8", digest: null })).toBe(false);
    expect(isIgnored([tagDecline], { image: PY, tag: "3.12.7", newTag: null, digest: D1 })).toBe(false);
  });

  it("has its own id, and the ids of digest ignores stay what they were", () => {
    expect(ignoreId(tagDecline)).not.toBe(ignoreId({ ...tagDecline, newTag: "3.12.9" }));
    // Ids already in dashboards: sha256 of kind, image, tag and digest, one per line.
    const identity = ["digest", PY, "3.12", D1].join("\n");
    expect(ignoreId(digestIgnore)).toBe(createHash("sha256").update(identity).digest("hex").slice(0, 12));
  });
});
