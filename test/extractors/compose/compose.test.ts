import { describe, expect, it } from "vitest";
import { compose } from "../../../src/extractors/compose/index.js";
import { DIGEST_A, seen } from "../support.js";

describe("compose: which files", () => {
  it.each([
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
    "deploy/compose.prod.yaml",
    "docker-compose.override.yml",
  ])("reads %s", (path) => {
    expect(compose.matches(path, { has: () => false })).toBe(true);
  });

  it.each(["compose.json", "my-compose.yaml", "composer.yaml", "values.yaml", "compose.yaml.bak"])(
    "leaves %s alone",
    (path) => {
      expect(compose.matches(path, { has: () => false })).toBe(false);
    },
  );
});

describe("compose: services.<name>.image", () => {
  it("finds each service's image with the ranges of its tag and digest", () => {
    const text = [
      "services:",
      "  web:",
      `    image: nginx:1.25@${DIGEST_A} # pinned`,
      "    platform: linux/arm64",
      "  db:",
      "    image: 'postgres:16'",
      "  cache:",
      '    image: "redis:7"',
      "  built:",
      "    build: .",
      "",
    ].join("\n");
    expect(seen(compose, "compose.yaml", text)).toEqual([
      { line: 3, image: `nginx:1.25@${DIGEST_A}`, tag: "1.25", digest: DIGEST_A, skip: null },
      { line: 6, image: "postgres:16", tag: "16", digest: null, skip: null },
      { line: 8, image: "redis:7", tag: "7", digest: null, skip: null },
    ]);
    expect(compose.extract("compose.yaml", text).references[0]!.platform).toBe("linux/arm64");
  });

  it("reads flow style, CRLF and a BOM with ranges into the real characters", () => {
    const text = `\uFEFFservices:\r\n  web: {image: "nginx:1.25@${DIGEST_A}", ports: ["80:80"]}\r\n`;
    expect(seen(compose, "compose.yaml", text)).toEqual([
      { line: 2, image: `nginx:1.25@${DIGEST_A}`, tag: "1.25", digest: DIGEST_A, skip: null },
    ]);
  });

  it("points every alias at its anchor's characters, on the alias's line", () => {
    const text = [
      "x-base: &base",
      "  image: redis:7",
      "services:",
      "  a:",
      "    <<: *base",
      "  c:",
      "    image: &img busybox:1.36",
      "  d:",
      "    image: *img",
      "",
    ].join("\n");
    const found = compose.extract("compose.yaml", text).references;
    expect(found.map((f) => [f.line, f.expanded, text.slice(f.tagRange!.start, f.tagRange!.end)])).toEqual([
      [2, "redis:7", "7"],
      [7, "busybox:1.36", "1.36"],
      [9, "busybox:1.36", "1.36"],
    ]);
    expect(found[1]!.tagRange).toEqual(found[2]!.tagRange);
  });

  it("skips what is not spelled out: variables and templates, never a guess", () => {
    const text = [
      "services:",
      "  a:",
      "    image: ${REGISTRY}/app:${TAG:-latest}",
      "  b:",
      "    image: $(IMAGE)",
      "  c:",
      "    image: '{{ .Values.image }}'",
      "  d:",
      "    image: [not, a, string]",
      "",
    ].join("\n");
    expect(seen(compose, "compose.yaml", text).map((s) => [s.line, s.skip])).toEqual([
      [3, "not-literal"],
      [5, "not-literal"],
      [7, "not-literal"],
      [9, "not-a-string"],
    ]);
  });

  it("an unparsable file is one error naming the parser's line", () => {
    const result = compose.extract("compose.yaml", "services:\n  web:\n    image: [nginx\n  db: {\n");
    expect(result.references).toEqual([]);
    expect(result.errorReason).toBe("parse-error");
    expect(result.error).toMatch(/^invalid YAML at line \d+: /);
  });
});
