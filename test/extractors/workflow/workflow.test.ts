import { describe, expect, it } from "vitest";
import { extractorFor } from "../../../src/extractors/index.js";
import { workflow } from "../../../src/extractors/workflow/index.js";
import { after, digest, expectSourcesFor, fixtures, plan } from "../kinds-support.js";
import { seen } from "../support.js";

const here = new URL("./", import.meta.url);
const NO_TREE = { has: () => false };

describe("workflow: which files", () => {
  it.each([".github/workflows/ci.yml", ".github/workflows/release.yaml"])("reads %s", (path) => {
    expect(extractorFor(path, NO_TREE)?.kind).toBe("workflow");
  });

  it.each([
    ".github/workflows/sub/ci.yml",
    "app/.github/workflows/ci.yml",
    ".github/dependabot.yml",
    ".github/workflows/ci.json",
  ])("leaves %s to others", (path) => {
    expect(workflow.matches(path, NO_TREE)).toBe(false);
  });
});

/** Read by hand: [line, image as written, tag characters, digest characters, skip]. */
const expected: Record<string, [number, string, string | null][]> = {
  // The container job's `container.image` (two spaces after the colon), its service, and the VM job's service.
  "postgres-service.yml": [
    [18, "node:10.16-jessie", "10.16-jessie"],
    [22, "postgres:10.8", "10.8"],
    [51, "postgres:10.8", "10.8"],
  ],
  // `redis` has no tag: found, left to the plan's no-tag rule.
  "redis-service.yml": [
    [16, "node:10.16-jessie", "10.16-jessie"],
    [20, "redis", null],
    [42, "redis", null],
  ],
  // `uses: actions/checkout@v4` is an action, `docker://rhysd/actionlint:latest` an image.
  "lint-workflows.yml": [[25, "rhysd/actionlint:latest", "latest"]],
};

describe("workflow: real-world files", () => {
  it("every fixture has its source and an expectation", () => {
    expectSourcesFor(here);
    expect(Object.keys(expected).sort()).toEqual([...fixtures(here).keys()].sort());
  });

  it.each([...fixtures(here)])("%s: exactly the images read by hand", (name, text) => {
    const found = seen(workflow, `.github/workflows/${name}`, text);
    expect(found.map((r) => [r.line, r.image, r.tag])).toEqual(expected[name]);
    expect(found.every((r) => r.skip === null && r.digest === null)).toBe(true);
  });
});

describe("workflow: hostile files", () => {
  it("an expression is a not-literal skip, never a guess", () => {
    const text = [
      "jobs:",
      "  a:",
      "    container: ${{ matrix.image }}",
      "    services:",
      "      db:",
      "        image: postgres:${{ matrix.pg }}",
      "    steps:",
      "      - uses: docker://${{ env.IMAGE }}",
      "",
    ].join("\n");
    expect(seen(workflow, ".github/workflows/a.yml", text).map((r) => [r.line, r.skip])).toEqual([
      [3, "not-literal"],
      [6, "not-literal"],
      [8, "not-literal"],
    ]);
  });

  it("reads quoted, flow-style, CRLF and BOM files with ranges on the real characters", () => {
    const text = `\uFEFFjobs:\r\n  a:\r\n    container: {image: 'node:22@${digest("a")}'}\r\n    steps:\r\n      - {uses: "docker://alpine:3.20"}\r\n`;
    expect(seen(workflow, ".github/workflows/a.yml", text)).toEqual([
      { line: 3, image: `node:22@${digest("a")}`, tag: "22", digest: digest("a"), skip: null },
      { line: 5, image: "alpine:3.20", tag: "3.20", digest: null, skip: null },
    ]);
  });

  it("bumps a pinned container and pins a docker:// step, changing only those characters", () => {
    const text = `jobs: # ci\r\n  a:\r\n    container: "node:22@${digest("a")}" # pinned\r\n    steps:\r\n      - uses: docker://alpine:3.20\r\n`;
    const path = ".github/workflows/a.yml";
    const answers = { tags: { "node:22": digest("b"), "alpine:3.20": digest("c") }, known: [digest("a")] };
    const result = plan([{ path, content: text }], answers, { pin: true });
    expect(after(result, path, text)).toBe(
      text.replace(digest("a"), digest("b")).replace("alpine:3.20", `alpine:3.20@${digest("c")}`),
    );
    expect(result.updates.map((u) => [u.kind, u.action])).toEqual([
      ["workflow", "bump"],
      ["workflow", "pin"],
    ]);
  });

  it("a file that does not parse is one skip row with the parser's line", () => {
    const result = workflow.extract(".github/workflows/a.yml", "jobs:\n  a:\n    container: [node\n");
    expect(result.references).toEqual([]);
    expect(result.error).toMatch(/line \d/);
  });
});
