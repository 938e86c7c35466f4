import { describe, expect, it } from "vitest";
import { devcontainer, MAX_JSON_DEPTH } from "../../../src/extractors/devcontainer/index.js";
import { extractorFor } from "../../../src/extractors/index.js";
import { after, digest, expectSourcesFor, fixtures, plan } from "../kinds-support.js";
import { seen } from "../support.js";

const here = new URL("./", import.meta.url);
const NO_TREE = { has: () => false };
const PATH = ".devcontainer/devcontainer.json";

describe("devcontainer: which files", () => {
  it.each([".devcontainer/devcontainer.json", ".devcontainer.json", ".devcontainer/python/devcontainer.json"])(
    "reads %s",
    (path) => {
      expect(extractorFor(path, NO_TREE)?.kind).toBe("devcontainer");
    },
  );

  it.each(["devcontainer.json", ".devcontainer/a/b/devcontainer.json", "src/.devcontainer.json"])(
    "leaves %s alone",
    (path) => {
      expect(devcontainer.matches(path, NO_TREE)).toBe(false);
    },
  );
});

/** Read by hand: [line, image, tag characters, skip]. */
const expected: Record<string, [number, string, string | null, string | null][]> = {
  // A blank first line and comments above and around it; `"features"` commented out.
  "vscode-remote-try-node.devcontainer.json": [
    [7, "mcr.microsoft.com/devcontainers/javascript-node:1-18-bullseye", "1-18-bullseye", null],
  ],
  // A template option the tool fills in: not an image yet.
  "templates-python.devcontainer.json": [
    [6, "mcr.microsoft.com/devcontainers/python:3-${templateOption:imageVariant}", null, "not-literal"],
  ],
  // Compose-based: no top-level image.
  "templates-docker-compose.devcontainer.json": [],
};

describe("devcontainer: real-world files", () => {
  it("every fixture has its source and an expectation", () => {
    expectSourcesFor(here);
    expect(Object.keys(expected).sort()).toEqual([...fixtures(here).keys()].sort());
  });

  it.each([...fixtures(here)])("%s: exactly the images read by hand", (name, text) => {
    expect(seen(devcontainer, PATH, text).map((r) => [r.line, r.image, r.tag, r.skip])).toEqual(expected[name]);
  });
});

describe("devcontainer: hostile files", () => {
  it("pins through comments, trailing commas, CRLF and a BOM without re-serializing", () => {
    const text = `\uFEFF{\r\n  // the image\r\n  "image": /* inline */ "node:22", // trailing\r\n  "features": {"x": {},},\r\n}\r\n`;
    const result = plan([{ path: PATH, content: text }], { tags: { "node:22": digest("a") } }, { pin: true });
    expect(after(result, PATH, text)).toBe(text.replace('"node:22"', `"node:22@${digest("a")}"`));
    expect(result.updates[0]).toMatchObject({ kind: "devcontainer", line: 3, action: "pin" });
  });

  it("bumps a pinned image; the last of two image keys is the one JSON reads", () => {
    const text = `{"image": "old:1", "image": "node:22@${digest("a")}"}`;
    const answers = { tags: { "node:22": digest("b") }, known: [digest("a")] };
    const result = plan([{ path: PATH, content: text }], answers);
    expect(after(result, PATH, text)).toBe(text.replace(digest("a"), digest("b")));
  });

  it("an escaped image is read but never rewritten; a non-string image is a skip", () => {
    expect(seen(devcontainer, PATH, '{"image": "node\\u003a22"}')).toEqual([
      { line: 1, image: "node:22", tag: null, digest: null, skip: null },
    ]);
    expect(seen(devcontainer, PATH, '{"image": 22}').map((r) => r.skip)).toEqual(["not-a-string"]);
  });

  it("invalid JSON is one file skip naming the line; deep nesting is refused before parsing", () => {
    const bad = devcontainer.extract(PATH, '{\n  "image": "a"\n  "name": "b"\n}');
    expect(bad).toMatchObject({ references: [], errorReason: "parse-error" });
    expect(bad.error).toContain("line 3");
    const deep = devcontainer.extract(PATH, `{"a": ${"[".repeat(100_000)}`);
    expect(deep).toMatchObject({ references: [], errorReason: "limit-exceeded" });
    expect(deep.error).toContain(`deeper than ${MAX_JSON_DEPTH}`);
  });
});
