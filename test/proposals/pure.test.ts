import { describe, expect, it } from "vitest";
import {
  branchName,
  dueDispatches,
  formatMarker,
  parseMarker,
  sanitizeRef,
  type Marker,
} from "../../src/proposals/index.js";
import type { Lookups } from "../../src/plan/index.js";

describe("branch names", () => {
  it("follows repin/<registry>/<repository>/<tag> with ref-invalid characters replaced", () => {
    expect(branchName("docker.io/library/python:3.12-slim")).toBe("repin/docker.io/library/python/3.12-slim");
    expect(branchName("127.0.0.1:5000/team/app:latest")).toBe("repin/127.0.0.1-5000/team/app/latest");
    expect(sanitizeRef("a..b/c.lock/.d/e~f^g?h*i[j\\k l")).toBe("a-b/c-lock/-d/e-f-g-h-i-j-k-l");
  });
});

describe("marker", () => {
  const marker: Marker = {
    v: 1,
    key: "k",
    image: "python",
    tag: "3",
    newTag: null,
    digest: "sha256:ab",
    target: "t",
    content: "c",
    commit: "deadbeef",
  };
  it("round-trips through a PR body and ignores look-alikes", () => {
    expect(parseMarker(`text\n\n${formatMarker(marker)}\n`)).toEqual(marker);
    expect(parseMarker("<!-- repin:{not json} -->")).toBeNull();
    expect(parseMarker('<!-- repin:{"v":2} -->')).toBeNull();
    expect(parseMarker(null)).toBeNull();
  });
});

describe("rebuild dispatch", () => {
  const update = {
    file: "Dockerfile",
    kind: "dockerfile" as const,
    line: 1,
    image: "python:3",
    tag: "3",
    newTag: null,
    currentDigest: null,
    newDigest: null,
    action: "none" as const,
    reason: null,
    source: { registry: "docker.io", repository: "library/python" },
    created: null,
    platforms: [],
    edits: [],
  };
  const lookups = (digest: string): Lookups => ({
    tagLists: new Map(),
    manifests: new Map(),
    tags: new Map([["docker.io/library/python:3", { ok: true, value: { digest, mediaType: "x" } }]]),
  });
  it("records the first sight and dispatches only when the digest moves", () => {
    const first = dueDispatches([update], lookups("sha256:1"), new Map());
    expect(first.due).toEqual([]);
    expect(dueDispatches([update], lookups("sha256:1"), first.now).due).toEqual([]);
    const moved = dueDispatches([update, { ...update, file: "b/Dockerfile" }], lookups("sha256:2"), first.now);
    expect(moved.due).toEqual([
      {
        key: "docker.io/library/python:3",
        image: "python:3",
        tag: "3",
        digest: "sha256:2",
        files: ["Dockerfile", "b/Dockerfile"],
      },
    ]);
  });
});
