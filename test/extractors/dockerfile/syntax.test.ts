import { describe, expect, it } from "vitest";
import { dockerfile } from "../../../src/extractors/dockerfile/index.js";
import { after, digest, expectSourcesFor, fixtures, plan } from "../kinds-support.js";
import { seen } from "../support.js";

const here = new URL("./", import.meta.url);
const syntaxOf = (text: string) => seen(dockerfile, "Dockerfile", text).filter((r) => r.image.includes("dockerfile"));

/** Read by hand: the `# syntax=` reference of each file, [line, image, tag characters, digest characters]. */
const expected: Record<string, [number, string, string | null, string | null][]> = {
  // `# escape=` first, `# syntax=` on line 2: BuildKit reads both as directives.
  "haxall-escape-then-syntax.Dockerfile": [[2, "docker/dockerfile:1", "1", null]],
  "syntax-heredoc-pinned.Dockerfile": [
    [
      1,
      "docker/dockerfile:1.14.0@sha256:4c68376a702446fc3c79af22de146a148bc3367e73c25a5803d453b6b3f722fb",
      "1.14.0",
      "sha256:4c68376a702446fc3c79af22de146a148bc3367e73c25a5803d453b6b3f722fb",
    ],
  ],
};

describe("dockerfile: the # syntax= frontend, real-world files", () => {
  it("every fixture has its source and an expectation", () => {
    expectSourcesFor(here);
    expect(Object.keys(expected).sort()).toEqual([...fixtures(here).keys()].sort());
  });

  it.each([...fixtures(here)])("%s: the frontend image, first among the references", (name, text) => {
    const found = seen(dockerfile, "Dockerfile", text);
    expect(found.slice(0, 1).map((r) => [r.line, r.image, r.tag, r.digest])).toEqual(expected[name]);
    expect(found.slice(1).every((r) => !r.image.startsWith("docker/dockerfile"))).toBe(true);
  });
});

describe("dockerfile: the # syntax= frontend as BuildKit reads it", () => {
  it.each([
    ["#syntax=docker/dockerfile:1\nFROM a:1\n", 1],
    ["# Syntax = docker/dockerfile:1 \nFROM a:1\n", 1],
    ["#!/usr/bin/env buildctl\n# syntax=docker/dockerfile:1\nFROM a:1\n", 2],
    ["\uFEFF# check=skip=all\r\n# syntax=docker/dockerfile:1\r\nFROM a:1\r\n", 2],
  ])("finds %j on line %i", (text, line) => {
    expect(syntaxOf(text).map((r) => [r.line, r.image, r.tag])).toEqual([[line, "docker/dockerfile:1", "1"]]);
  });

  it.each([
    "FROM a:1\n# syntax=docker/dockerfile:1\n",
    "# a comment\n# syntax=docker/dockerfile:1\nFROM a:1\n",
    "\n# syntax=docker/dockerfile:1\nFROM a:1\n",
    "# unknown=x\n# syntax=docker/dockerfile:1\nFROM a:1\n",
    "  # syntax=docker/dockerfile:1\nFROM a:1\n",
  ])("no frontend after directives end: %j", (text) => {
    expect(syntaxOf(text)).toEqual([]);
  });

  it("the image ends at the first space; a variable is not expanded", () => {
    expect(syntaxOf("# syntax=docker/dockerfile:1 --extra\nFROM a:1\n").map((r) => r.image)).toEqual([
      "docker/dockerfile:1",
    ]);
    expect(seen(dockerfile, "Dockerfile", "# syntax=${FRONTEND}\nFROM a:1\n")[0]!.skip).toBe("not-literal");
  });

  it("bumps a pinned frontend and pins an unpinned one under pin, only digest characters, CRLF kept", () => {
    const pinned = `# syntax=docker/dockerfile:1.7@${digest("a")}\r\nFROM alpine:3.20\r\n`;
    const answers = { tags: { "docker/dockerfile:1.7": digest("b") }, known: [digest("a")] };
    const bumped = plan([{ path: "Dockerfile", content: pinned }], answers);
    expect(after(bumped, "Dockerfile", pinned)).toBe(pinned.replace(digest("a"), digest("b")));
    expect(bumped.updates[0]).toMatchObject({ kind: "dockerfile", line: 1, action: "bump" });

    const unpinned = "# syntax = docker/dockerfile:1.7\nFROM scratch\n";
    const pinnedNow = plan([{ path: "Dockerfile", content: unpinned }], answers, { pin: true });
    expect(after(pinnedNow, "Dockerfile", unpinned)).toBe(
      unpinned.replace("dockerfile:1.7", `dockerfile:1.7@${digest("b")}`),
    );
  });
});
