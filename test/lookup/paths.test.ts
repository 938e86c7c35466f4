import { describe, expect, it } from "vitest";
import { createPathFilter } from "../../src/lookup/index.js";

describe("which files are read", () => {
  const reads = createPathFilter({ include: ["build/*.docker"], exclude: ["legacy/**"] });

  it("every kind's names, at any depth, and config include globs", () => {
    for (const path of ["Dockerfile", "a/b/api.Dockerfile", "compose.yaml", "deploy/app.yml", "build/x.docker"])
      expect(reads(path), path).toBe(true);
  });

  it("not repin's own config, excluded paths, ignored folders or other files", () => {
    for (const path of [".github/repin.yml", "legacy/compose.yaml", "node_modules/x/app.yaml", "README.md", "x.json"])
      expect(reads(path), path).toBe(false);
  });
});
