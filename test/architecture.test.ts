import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Imports point one way, in the order data flows (STYLE 1, like go-containerregistry's depcheck):
 * a folder may import only the folders listed for it. A new folder must be placed here.
 */
const allowed: Record<string, readonly string[]> = {
  reference: [],
  markdown: [],
  versioning: [],
  registry: ["reference"],
  config: ["reference"],
  inventory: [],
  commands: ["markdown"],
  dockerfile: ["reference"],
  advisories: ["inventory"],
  "advisory-feeds": ["advisories"],
  "inventory-store": ["inventory"],
  explain: ["reference", "markdown", "registry", "inventory", "advisories", "plan"],
  dashboard: ["markdown", "commands"],
  plan: ["reference", "dockerfile", "registry", "versioning"],
  lookup: ["reference", "dockerfile", "registry", "versioning", "config", "plan"],
  cli: ["reference", "dockerfile", "registry", "versioning", "config", "plan", "lookup"],
  github: [
    "reference",
    "dockerfile",
    "registry",
    "versioning",
    "config",
    "plan",
    "lookup",
    "inventory",
    "advisories",
    "explain",
    "commands",
    "dashboard",
    "markdown",
  ],
  app: [
    "reference",
    "dockerfile",
    "registry",
    "versioning",
    "config",
    "plan",
    "lookup",
    "inventory",
    "advisories",
    "explain",
    "commands",
    "dashboard",
    "github",
    "markdown",
    "advisory-feeds",
    "inventory-store",
  ],
};

const src = new URL("../src/", import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("folder dependencies", () => {
  const folders = readdirSync(src).filter((name) => statSync(join(src, name)).isDirectory());

  it("knows every folder under src/", () => {
    expect(folders.filter((folder) => !(folder in allowed))).toEqual([]);
  });

  it.each(folders)("src/%s imports only the folders before it", (folder) => {
    const offending = sourceFiles(join(src, folder)).flatMap((file) => {
      const imports = [...readFileSync(file, "utf8").matchAll(/from "\.\.\/(?:\.\.\/)*([a-z-]+)\//g)].map(
        (match) => match[1]!,
      );
      return imports
        .filter((target) => target !== folder && !(allowed[folder] ?? []).includes(target))
        .map((target) => `${file.slice(src.length)} → ${target}`);
    });
    expect(offending).toEqual([]);
  });
});
