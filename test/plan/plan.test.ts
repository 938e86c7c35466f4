import { describe, expect, it } from "vitest";
import { extractReferences } from "../../src/dockerfile/index.js";
import {
  describeReason,
  planUpdates,
  scanFiles,
  tagEdit,
  tagListRequests,
  type Lookup,
  type Lookups,
  type PlanOptions,
} from "../../src/plan/index.js";
import type { IndexChild, Manifest, TagDigest } from "../../src/registry/types.js";

const digest = (char: string) => `sha256:${char.repeat(64)}`;
const OLD = digest("a");
const NEW = digest("b");

const options = (overrides: Partial<PlanOptions> = {}): PlanOptions => ({
  pin: false,
  platforms: [],
  updateTags: "none",
  resolutionName: (ref) => ({ registry: ref.registry, repository: ref.repository }),
  isIgnored: () => false,
  ...overrides,
});

const ok = <T>(value: T): Lookup<T> => ({ ok: true, value });
/** A registry failure that says `message`; `notFound` for a 404. */
const failed = <T>(message: string, notFound = false): Lookup<T> => ({
  ok: false,
  failure: { kind: notFound ? "not-found" : "unavailable", message, host: null, status: null, retryable: !notFound },
});

function lookups(parts: {
  tags?: Record<string, TagDigest | string>;
  manifests?: Manifest[];
  /** Manifest lookups that failed, by "<repository>@<digest>". */
  failed?: Record<string, { reason: string; notFound?: boolean }>;
  tagLists?: Record<string, readonly string[] | string>;
}): Lookups {
  const asLookup = <T>(value: T | string): Lookup<T> => (typeof value === "string" ? failed<T>(value) : ok(value));
  return {
    tags: new Map(Object.entries(parts.tags ?? {}).map(([key, value]) => [key, asLookup(value)])),
    // Manifests are keyed by repository and digest; each test's manifests belong to the repositories it resolves.
    manifests: new Map(
      [...new Set(Object.keys(parts.tags ?? {}).map((key) => key.slice(0, key.lastIndexOf(":"))))]
        .flatMap((repository) =>
          (parts.manifests ?? []).map((manifest): [string, Lookup<Manifest>] => [
            `${repository}@${manifest.digest}`,
            ok(manifest),
          ]),
        )
        .concat(
          Object.entries(parts.failed ?? {}).map(([key, failure]): [string, Lookup<Manifest>] => [
            key,
            failed(failure.reason, failure.notFound),
          ]),
        ),
    ),
    tagLists: new Map(
      Object.entries(parts.tagLists ?? {}).map(([key, value]) => [
        key,
        typeof value === "string" ? failed<readonly string[]>(value) : ok(value),
      ]),
    ),
  };
}

const image = (d: string, platform: IndexChild["platform"] = { os: "linux", architecture: "amd64" }): Manifest => ({
  kind: "image",
  digest: d,
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  configDigest: digest("c"),
  layers: [],
  platform,
  created: "2026-11-20T10:00:00Z",
});

const child = (d: string, os: string, architecture: string, variant?: string): IndexChild => ({
  digest: d,
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  platform: variant ? { os, architecture, variant } : { os, architecture },
});

const index = (d: string, children: IndexChild[]): Manifest => ({
  kind: "index",
  digest: d,
  mediaType: "application/vnd.oci.image.index.v1+json",
  children,
  created: null,
});

const tagged = (d: string): TagDigest => ({ digest: d, mediaType: "application/vnd.oci.image.index.v1+json" });

/** The plan with each reason as the text the CLI prints. */
function plan(content: string, found: Lookups, opts = options()) {
  const result = planUpdates(scanFiles([{ path: "Dockerfile", content }]), found, opts);
  return {
    ...result,
    updates: result.updates.map((update) => ({ ...update, reason: update.reason && describeReason(update.reason) })),
  };
}

describe("planUpdates: digests", () => {
  it("bumps a pinned single-platform image and changes only the digest characters", () => {
    const content = `FROM python:3.12-slim@${OLD} AS build\nRUN echo hi\n`;
    const result = plan(
      content,
      lookups({ tags: { "docker.io/library/python:3.12-slim": tagged(NEW) }, manifests: [image(NEW), image(OLD)] }),
    );
    expect(result.updates).toMatchObject([
      {
        file: "Dockerfile",
        line: 1,
        image: "python:3.12-slim",
        tag: "3.12-slim",
        action: "bump",
        currentDigest: OLD,
        newDigest: NEW,
        newTag: null,
      },
    ]);
    expect(result.changes).toEqual([{ path: "Dockerfile", before: content, after: content.replace(OLD, NEW) }]);
  });

  it("reports none when the pin is current and writes nothing", () => {
    const result = plan(
      `FROM python:3.12@${OLD}\n`,
      lookups({ tags: { "docker.io/library/python:3.12": tagged(OLD) } }),
    );
    expect(result.updates[0]).toMatchObject({ action: "none", newDigest: null, reason: null });
    expect(result.changes).toEqual([]);
  });

  it("keeps an index pin an index pin", () => {
    const oldIndex = index(OLD, [child(digest("1"), "linux", "amd64"), child(digest("2"), "linux", "arm64", "v8")]);
    const newIndex = index(NEW, [child(digest("3"), "linux", "amd64"), child(digest("4"), "linux", "arm64", "v8")]);
    const result = plan(
      `FROM node:22@${OLD}\n`,
      lookups({ tags: { "docker.io/library/node:22": tagged(NEW) }, manifests: [oldIndex, newIndex] }),
    );
    expect(result.updates[0]).toMatchObject({ action: "bump", newDigest: NEW });
    expect(result.updates[0]?.platforms).toHaveLength(2);
  });

  it("moves a platform pin to the same platform's child of the new index, never to the index", () => {
    const newIndex = index(NEW, [child(digest("3"), "linux", "amd64"), child(digest("4"), "linux", "arm64", "v8")]);
    const pinnedArm = image(OLD, { os: "linux", architecture: "arm64", variant: "v8" });
    const result = plan(
      `FROM node:22@${OLD}\n`,
      lookups({ tags: { "docker.io/library/node:22": tagged(NEW) }, manifests: [newIndex, pinnedArm] }),
    );
    expect(result.updates[0]).toMatchObject({ action: "bump", newDigest: digest("4") });
    expect(result.changes[0]?.after).toBe(`FROM node:22@${digest("4")}\n`);
  });

  it("leaves a platform pin alone when it is still a child of the current index", () => {
    const newIndex = index(NEW, [child(OLD, "linux", "amd64"), child(digest("4"), "linux", "arm64")]);
    const result = plan(
      `FROM node:22@${OLD}\n`,
      lookups({ tags: { "docker.io/library/node:22": tagged(NEW) }, manifests: [newIndex] }),
    );
    expect(result.updates[0]).toMatchObject({ action: "none" });
  });

  it("does not bump when only platforms the file does not build changed (--platform)", () => {
    const oldIndex = index(OLD, [child(digest("1"), "linux", "amd64"), child(digest("2"), "linux", "arm64")]);
    const newIndex = index(NEW, [child(digest("1"), "linux", "amd64"), child(digest("4"), "linux", "arm64")]);
    const found = lookups({ tags: { "docker.io/library/node:22": tagged(NEW) }, manifests: [oldIndex, newIndex] });
    expect(plan(`FROM --platform=linux/amd64 node:22@${OLD}\n`, found).updates[0]).toMatchObject({
      action: "none",
      reason: "only platforms this file does not build changed",
    });
    expect(plan(`FROM node:22@${OLD}\n`, found, options({ platforms: ["linux/amd64"] })).updates[0]).toMatchObject({
      action: "none",
    });
    expect(plan(`FROM node:22@${OLD}\n`, found, options({ platforms: ["linux/arm64"] })).updates[0]).toMatchObject({
      action: "bump",
      newDigest: NEW,
    });
    expect(plan(`FROM node:22@${OLD}\n`, found).updates[0]).toMatchObject({ action: "bump", newDigest: NEW });
  });

  it("holds back an index that lost a platform the old one had", () => {
    const oldIndex = index(OLD, [child(digest("1"), "linux", "amd64"), child(digest("2"), "linux", "arm", "v7")]);
    const newIndex = index(NEW, [child(digest("3"), "linux", "amd64"), child(digest("9"), "unknown", "unknown")]);
    const result = plan(
      `FROM node:22@${OLD}\n`,
      lookups({ tags: { "docker.io/library/node:22": tagged(NEW) }, manifests: [oldIndex, newIndex] }),
    );
    expect(result.updates[0]).toMatchObject({ action: "skip", newDigest: null });
    expect(result.updates[0]?.reason).toContain("linux/arm/v7");
    expect(result.changes).toEqual([]);
  });

  it("skips with the registry's reason and rewrites nothing when a lookup failed", () => {
    const result = plan(
      `FROM ghcr.io/acme/base:1@${OLD}\n`,
      lookups({ tags: { "ghcr.io/acme/base:1": "401 unauthorized from ghcr.io" } }),
    );
    expect(result.updates[0]).toMatchObject({ action: "skip", reason: "401 unauthorized from ghcr.io" });
    expect(result.changes).toEqual([]);
  });

  it("skips when the new digest's manifest could not be verified", () => {
    const result = plan(`FROM python:3@${OLD}\n`, lookups({ tags: { "docker.io/library/python:3": tagged(NEW) } }));
    expect(result.updates[0]?.action).toBe("skip");
    expect(result.changes).toEqual([]);
  });

  it("rewrites the digest where it lives: in the ARG default", () => {
    const content = `ARG BASE=python:3.12@${OLD}\nFROM \${BASE}\nFROM \${BASE} AS again\n`;
    const result = plan(
      content,
      lookups({ tags: { "docker.io/library/python:3.12": tagged(NEW) }, manifests: [image(NEW), image(OLD)] }),
    );
    expect(result.updates.map((update) => [update.line, update.action])).toEqual([
      [2, "bump"],
      [3, "bump"],
    ]);
    expect(result.changes[0]?.after).toBe(content.replace(OLD, NEW));
  });

  it("rewrites neither reference when two share an ARG but resolve differently", () => {
    const content = `ARG D=${OLD}\nFROM python:3.12@\${D}\nFROM python:3.13@\${D}\n`;
    const found = lookups({
      tags: { "docker.io/library/python:3.12": tagged(NEW), "docker.io/library/python:3.13": tagged(digest("e")) },
      manifests: [image(NEW), image(OLD), image(digest("e"))],
    });
    const result = plan(content, found);
    expect(result.updates.map((update) => update.action)).toEqual(["skip", "skip"]);
    expect(result.changes).toEqual([]);
  });
});

describe("planUpdates: what was not verified is never written", () => {
  const amd64 = { os: "linux", architecture: "amd64" };
  const arm64 = { os: "linux", architecture: "arm64", variant: "v8" };
  const newIndex = index(NEW, [child(digest("3"), "linux", "amd64"), child(digest("4"), "linux", "arm64", "v8")]);

  it("does not pin a digest whose manifest could not be read", () => {
    const found = lookups({
      tags: { "docker.io/library/alpine:3.19": tagged(NEW) },
      failed: { [`docker.io/library/alpine@${NEW}`]: { reason: "digest mismatch" } },
    });
    const result = plan("FROM alpine:3.19\n", found, options({ pin: true }));
    expect(result.updates[0]).toMatchObject({ action: "skip", newDigest: null });
    expect(result.updates[0]?.reason).toContain("digest mismatch");
    expect(result.changes).toEqual([]);
  });

  it("skips a pin whose pinned manifest the registry failed to serve: it could be a platform pin", () => {
    const found = lookups({
      tags: { "docker.io/library/node:22": tagged(NEW) },
      manifests: [newIndex],
      failed: { [`docker.io/library/node@${OLD}`]: { reason: "503 from registry" } },
    });
    const result = plan(`FROM node:22@${OLD}\n`, found);
    expect(result.updates[0]).toMatchObject({ action: "skip" });
    expect(result.updates[0]?.reason).toContain("503 from registry");
  });

  it("takes a pinned manifest the registry no longer has for a pin to the tag's index", () => {
    const found = lookups({
      tags: { "docker.io/library/node:22": tagged(NEW) },
      manifests: [newIndex],
      failed: { [`docker.io/library/node@${OLD}`]: { reason: "404", notFound: true } },
    });
    expect(plan(`FROM node:22@${OLD}\n`, found).updates[0]).toMatchObject({ action: "bump", newDigest: NEW });
  });

  it("holds back a platform pin when the tag now serves a single image of another platform", () => {
    const found = lookups({
      tags: { "docker.io/library/node:22": tagged(NEW) },
      manifests: [image(NEW, amd64), image(OLD, arm64)],
    });
    const result = plan(`FROM node:22@${OLD}\n`, found);
    expect(result.updates[0]).toMatchObject({ action: "skip" });
    expect(result.updates[0]?.reason).toContain("linux/arm64/v8");
  });

  it("holds back an index pin when the tag now serves a single image missing a platform the index had", () => {
    const oldIndex = index(OLD, [child(digest("1"), "linux", "amd64"), child(digest("2"), "linux", "arm64", "v8")]);
    const found = lookups({
      tags: { "docker.io/library/node:22": tagged(NEW) },
      manifests: [image(NEW, amd64), oldIndex],
    });
    expect(plan(`FROM node:22@${OLD}\n`, found).updates[0]).toMatchObject({ action: "skip" });
    const amd64Only = lookups({
      tags: { "docker.io/library/node:22": tagged(NEW) },
      manifests: [image(NEW, amd64), index(OLD, [child(digest("1"), "linux", "amd64")])],
    });
    expect(plan(`FROM node:22@${OLD}\n`, amd64Only).updates[0]).toMatchObject({ action: "bump", newDigest: NEW });
  });

  it("holds back a single image of another platform than the file's fixed --platform", () => {
    const found = lookups({
      tags: { "docker.io/library/node:22": tagged(NEW) },
      manifests: [image(NEW, amd64), image(OLD, amd64)],
    });
    expect(plan(`FROM --platform=linux/arm64 node:22@${OLD}\n`, found).updates[0]).toMatchObject({ action: "skip" });
    expect(plan(`FROM --platform=linux/amd64 node:22@${OLD}\n`, found).updates[0]).toMatchObject({ action: "bump" });
  });

  it("reads a digest's manifest per repository: one repository failing does not decide for another", () => {
    const found = lookups({
      tags: { "docker.io/library/node:22": tagged(NEW), "mirror.corp/node:22": tagged(NEW) },
      manifests: [image(NEW), image(OLD)],
      failed: { [`mirror.corp/node@${NEW}`]: { reason: "401 from mirror.corp" } },
    });
    const result = plan(`FROM node:22@${OLD}\nFROM mirror.corp/node:22@${OLD}\n`, found);
    expect(result.updates.map((update) => update.action)).toEqual(["bump", "skip"]);
  });
});

describe("planUpdates: unpinned and untagged references", () => {
  const found = lookups({ tags: { "docker.io/library/alpine:3.19": tagged(NEW) }, manifests: [image(NEW)] });

  it("leaves unpinned references alone unless pinning is asked for", () => {
    const result = plan("FROM alpine:3.19\n", found);
    expect(result.updates[0]).toMatchObject({ action: "none", newDigest: null });
    expect(result.changes).toEqual([]);
  });

  it("pins when asked, inserting only the digest", () => {
    const result = plan("FROM alpine:3.19 AS base\n", found, options({ pin: true }));
    expect(result.updates[0]).toMatchObject({ action: "pin", newDigest: NEW, currentDigest: null });
    expect(result.changes[0]?.after).toBe(`FROM alpine:3.19@${NEW} AS base\n`);
  });

  it("never pins a reference without a tag", () => {
    const result = plan("FROM alpine\n", found, options({ pin: true }));
    expect(result.updates[0]?.action).toBe("skip");
    expect(result.updates[0]?.reason).toMatch(/without a tag/);
    expect(result.changes).toEqual([]);
  });

  it("skips ignored images", () => {
    const result = plan(
      `FROM alpine:3.19@${OLD}\n`,
      found,
      options({ isIgnored: (ref) => ref.repository === "library/alpine" }),
    );
    expect(result.updates[0]).toMatchObject({ action: "skip", reason: "ignored by config" });
  });
});

describe("planUpdates: tag updates (SPEC 3a)", () => {
  const tagLists = { "docker.io/library/python": ["3.12.6", "3.12.7", "3.12.8", "3.13.0", "3.12.9-rc1"] };

  it("moves a pinned version tag to the newest patch and pins that tag's digest", () => {
    const content = `FROM python:3.12.7@${OLD}\n`;
    const result = plan(
      content,
      lookups({
        tagLists,
        tags: { "docker.io/library/python:3.12.8": tagged(NEW) },
        manifests: [image(NEW), image(OLD)],
      }),
      options({ updateTags: "patch" }),
    );
    expect(result.updates[0]).toMatchObject({ action: "bump", tag: "3.12.7", newTag: "3.12.8", newDigest: NEW });
    expect(result.changes[0]?.after).toBe(`FROM python:3.12.8@${NEW}\n`);
  });

  it("moves an unpinned version tag without adding a digest", () => {
    const result = plan(
      "FROM python:3.12.7\n",
      lookups({ tagLists, tags: { "docker.io/library/python:3.12.8": tagged(NEW) } }),
      options({ updateTags: "patch" }),
    );
    expect(result.updates[0]).toMatchObject({ action: "bump", newTag: "3.12.8", newDigest: null });
    expect(result.changes[0]?.after).toBe("FROM python:3.12.8\n");
  });

  it("moves a tag that lives in an ARG default, changing only those characters", () => {
    const content = `ARG PY=3.12.7\nARG BASE=python:3.12.7@${OLD}\nFROM python:\${PY}\nFROM \${BASE}\n`;
    const found = lookups({
      tagLists,
      tags: { "docker.io/library/python:3.12.8": tagged(NEW) },
      manifests: [image(NEW), image(OLD)],
    });
    const result = plan(content, found, options({ updateTags: "patch" }));
    expect(result.updates.map((update) => [update.line, update.action, update.newTag, update.newDigest])).toEqual([
      [3, "bump", "3.12.8", null],
      [4, "bump", "3.12.8", NEW],
    ]);
    expect(result.changes[0]?.after).toBe(
      `ARG PY=3.12.8\nARG BASE=python:3.12.8@${NEW}\nFROM python:\${PY}\nFROM \${BASE}\n`,
    );
  });

  describe("a tag written around an ARG default (python:${V}-slim)", () => {
    const variants = {
      "docker.io/library/python": [
        "3.12.7-slim",
        "3.12.8-slim",
        "3.12.7-alpine",
        "3.12.9-alpine",
        "3.12.9-rc1-slim",
        "3.12.8",
      ],
    };
    const patch = options({ updateTags: "patch" });

    it("writes the middle of the new tag into the ARG default, changing only its characters", () => {
      const content = `ARG PYTHON_VERSION=3.12.7\nFROM python:\${PYTHON_VERSION}-slim\nRUN echo 3.12.7\n`;
      const result = plan(
        content,
        lookups({ tagLists: variants, tags: { "docker.io/library/python:3.12.8-slim": tagged(NEW) } }),
        patch,
      );
      expect(result.updates[0]).toMatchObject({
        action: "bump",
        tag: "3.12.7-slim",
        newTag: "3.12.8-slim",
        newDigest: null,
      });
      expect(result.updates[0]?.edits).toEqual([{ range: { start: 19, end: 25 }, text: "3.12.8" }]);
      expect(result.changes[0]?.after).toBe(
        `ARG PYTHON_VERSION=3.12.8\nFROM python:\${PYTHON_VERSION}-slim\nRUN echo 3.12.7\n`,
      );
    });

    it("moves a digest pinned next to the templated tag with it", () => {
      const content = `ARG V="3.12.7"\nFROM python:\${V}-slim@${OLD} AS app\n`;
      const found = lookups({
        tagLists: variants,
        tags: { "docker.io/library/python:3.12.8-slim": tagged(NEW) },
        manifests: [image(NEW), image(OLD)],
      });
      const result = plan(content, found, patch);
      expect(result.updates[0]).toMatchObject({ action: "bump", newTag: "3.12.8-slim", newDigest: NEW });
      expect(result.changes[0]?.after).toBe(`ARG V="3.12.8"\nFROM python:\${V}-slim@${NEW} AS app\n`);
    });

    it("rewrites an ARG default once when two references agree on it", () => {
      const content = `ARG V=3.12.7\nFROM python:\${V}-slim AS build\nFROM python:\${V}-slim@${OLD}\n`;
      const found = lookups({
        tagLists: variants,
        tags: { "docker.io/library/python:3.12.8-slim": tagged(NEW) },
        manifests: [image(NEW), image(OLD)],
      });
      const result = plan(content, found, patch);
      expect(result.updates.map((update) => [update.action, update.newTag])).toEqual([
        ["bump", "3.12.8-slim"],
        ["bump", "3.12.8-slim"],
      ]);
      expect(result.changes[0]?.after).toBe(
        `ARG V=3.12.8\nFROM python:\${V}-slim AS build\nFROM python:\${V}-slim@${NEW}\n`,
      );
    });

    it("rewrites neither reference when two sharing the ARG want different tags", () => {
      const content = `ARG V=3.12.7\nFROM python:\${V}-slim AS build\nFROM python:\${V}-alpine\n`;
      const found = lookups({
        tagLists: variants,
        tags: {
          "docker.io/library/python:3.12.8-slim": tagged(NEW),
          "docker.io/library/python:3.12.9-alpine": tagged(digest("e")),
        },
      });
      const result = plan(content, found, patch);
      expect(result.updates.map((update) => [update.action, update.newTag])).toEqual([
        ["skip", null],
        ["skip", null],
      ]);
      expect(result.updates[0]?.reason).toMatch(/shares its text/);
      expect(result.changes).toEqual([]);
    });

    it("rewrites neither when a reference sharing the ARG has no newer tag (its tag would silently move)", () => {
      const content = `ARG V=3.12.7\nFROM python:\${V}-slim AS build\nFROM python:\${V}-bookworm\n`;
      const found = lookups({
        tagLists: variants,
        tags: {
          "docker.io/library/python:3.12.8-slim": tagged(NEW),
          "docker.io/library/python:3.12.7-bookworm": tagged(OLD),
        },
      });
      const result = plan(content, found, patch);
      expect(result.updates.map((update) => update.action)).toEqual(["skip", "none"]);
      expect(result.changes).toEqual([]);
    });

    it("tagEdit takes a new tag only when it keeps the literal text before and after the ARG", () => {
      const content = "ARG V=1.2.3\nFROM ghcr.io/org/tool:v${V}-jre\nFROM ghcr.io/org/tool:1.2.3\n";
      const [templated, whole] = extractReferences(content).references;
      expect(tagEdit(templated!, "v1.2.4-jre")).toEqual({ range: { start: 6, end: 11 }, text: "1.2.4" });
      expect(tagEdit(templated!, "1.2.4-jre")).toBeNull();
      expect(tagEdit(templated!, "v1.2.4-jdk")).toBeNull();
      expect(tagEdit(templated!, "v-jre")).toBeNull();
      expect(tagEdit(whole!, "1.2.4")).toEqual({ range: whole!.tagRange, text: "1.2.4" });
    });

    it("does not move the tag when the text around the ARG is not literal, and says why", () => {
      const content = `ARG V=3.12.7\nARG S=slim\nFROM python:\${V}-\${S}@${OLD}\n`;
      const found = lookups({
        tagLists: variants,
        tags: { "docker.io/library/python:3.12.7-slim": tagged(NEW) },
        manifests: [image(NEW), image(OLD)],
      });
      const result = plan(content, found, patch);
      expect(result.updates[0]).toMatchObject({ action: "bump", newTag: null, newDigest: NEW });
      expect(result.updates[0]?.reason).toContain(
        "newer tag 3.12.8-slim exists, but the tag is not written in one place",
      );
    });
  });

  it("follows the minor policy", () => {
    const result = plan(
      "FROM python:3.12.7\n",
      lookups({ tagLists, tags: { "docker.io/library/python:3.13.0": tagged(NEW) } }),
      options({ updateTags: "minor" }),
    );
    expect(result.updates[0]).toMatchObject({ newTag: "3.13.0" });
  });

  it("still re-pins the digest when the tag list cannot be read, and says why", () => {
    const result = plan(
      `FROM python:3.12.7@${OLD}\n`,
      lookups({
        tagLists: { "docker.io/library/python": "403 denied listing tags" },
        tags: { "docker.io/library/python:3.12.7": tagged(NEW) },
        manifests: [image(NEW), image(OLD)],
      }),
      options({ updateTags: "patch" }),
    );
    expect(result.updates[0]).toMatchObject({ action: "bump", newTag: null, newDigest: NEW });
    expect(result.updates[0]?.reason).toContain("403 denied listing tags");
  });
});

describe("planUpdates: bad files", () => {
  it("reports a file it cannot read and goes on with the others", () => {
    const files = scanFiles([
      { path: "a/Dockerfile", content: "FROM alpine:3.19\u0000\u0001" },
      { path: "b/Dockerfile", content: `FROM alpine:3.19@${OLD}\n` },
    ]);
    const result = planUpdates(
      files,
      lookups({ tags: { "docker.io/library/alpine:3.19": tagged(NEW) }, manifests: [image(NEW), image(OLD)] }),
      options(),
    );
    const byFile = Object.fromEntries(result.updates.map((update) => [update.file, update.action]));
    expect(byFile).toEqual({ "a/Dockerfile": "skip", "b/Dockerfile": "bump" });
  });
});

describe("tagListRequests: frugal by design (SPEC 3)", () => {
  it("asks for a tag list only where the tag can move under the policy", () => {
    const content = [
      "FROM python:3.12-slim",
      "FROM node:22-alpine",
      "FROM debian:bookworm",
      "FROM golang:latest",
      "FROM nginx:1.27.3",
      "FROM redis:7.4.0-rc1",
    ].join("\n");
    const names = (policy: PlanOptions["updateTags"]) =>
      tagListRequests(scanFiles([{ path: "Dockerfile", content }]), options({ updateTags: policy })).map(
        (request) => request.name.repository,
      );
    expect(names("patch")).toEqual(["library/nginx", "library/redis"]);
    expect(names("minor")).toEqual(["library/python", "library/nginx", "library/redis"]);
    expect(names("major")).toEqual(["library/python", "library/node", "library/nginx", "library/redis"]);
    expect(names("none")).toEqual([]);
  });
});
