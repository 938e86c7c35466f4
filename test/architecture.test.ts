import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve as resolvePath } from "node:path";
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
  // One folder per file kind below it; the Dockerfile kind registers src/dockerfile.
  extractors: ["reference", "dockerfile"],
  // Push notices (registry envelopes, registry_package webhooks) as tag hints: pure.
  "registry-events": ["reference"],
  advisories: ["inventory"],
  "advisory-feeds": ["advisories"],
  // Everything repin remembers (SPEC 12): data types only, so every layer above may take a Store.
  store: ["reference", "config", "inventory", "markdown", "commands", "dashboard"],
  // The work queue: pure scheduling and its ports; it knows nothing of GitHub or registries.
  queue: [],
  // The watch loop and upstream hints: registry HEADs in, queued repositories out.
  watch: ["reference", "registry", "queue"],
  explain: ["reference", "markdown", "registry", "inventory", "advisories", "plan"],
  dashboard: ["markdown", "commands"],
  plan: ["reference", "dockerfile", "extractors", "registry", "versioning"],
  lookup: ["reference", "dockerfile", "extractors", "registry", "versioning", "config", "plan"],
  cli: ["reference", "dockerfile", "extractors", "registry", "versioning", "config", "plan", "lookup"],
  // Pure PR decisions: explain only for rendering its sections (its readers take a Registry from the caller).
  proposals: ["reference", "markdown", "dockerfile", "extractors", "versioning", "plan", "dashboard", "explain"],
  github: [
    "reference",
    "dockerfile",
    "extractors",
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
    "proposals",
    "store",
  ],
};
// The App wires everything: what github may import, github itself, and the adapters only it constructs.
allowed.app = [...allowed.github!, "github", "advisory-feeds", "queue", "watch", "registry-events"];
// The Action runs the App's reconcile with a token (and its advisory feeds); it prints the CLI's JSON rows, and never
// reaches the store's SQLite (native).
allowed.action = [...allowed.github!, "github", "cli", "advisory-feeds"];

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
      // The top folder under src/ that a relative import lands in (a kind's `../yaml/` stays in extractors).
      const imports = [...readFileSync(file, "utf8").matchAll(/from "(\.\.?\/[^"]+)"/g)].map(
        (match) => resolvePath(dirname(file), match[1]!).slice(src.length).split("/")[0]!,
      );
      return imports
        .filter((target) => target !== folder && !(allowed[folder] ?? []).includes(target))
        .map((target) => `${file.slice(src.length)} → ${target}`);
    });
    expect(offending).toEqual([]);
  });
});

describe("src/proposals is pure", () => {
  // Hashing the fingerprints (node:crypto's createHash) is computation; everything else of node: is I/O.
  const io = /from "(node:(?!crypto")[^"]+|probot|@octokit\/[^"]+|octokit)"/;
  it.each(sourceFiles(join(src, "proposals")).map((file) => file.slice(src.length)))(
    "%s imports no node: I/O module, Octokit or Probot",
    (file) => {
      expect(readFileSync(join(src, file), "utf8").match(io)?.[1] ?? null).toBeNull();
    },
  );
});

describe("one GitHub port", () => {
  // Git data, PRs, issues (comments, labels, assignees, reactions), reviews, permissions.
  const port = ["github/git.ts", "github/pulls.ts", "github/issues.ts"];
  const route =
    /"(?:GET|POST|PUT|PATCH|DELETE) [^"]*(?:\/pulls|\/git\/|\/issues|\/labels|\/reviews|\/collaborators\/|\/reactions)[^"]*"/g;
  const files = sourceFiles(src).map((file) => file.slice(src.length));

  it("the port files exist and name those routes", () => {
    for (const file of port) expect(files).toContain(file);
    expect(port.filter((file) => !readFileSync(join(src, file), "utf8").match(route))).toEqual([]);
  });

  it("no other file names a PR, branch, git data, comment, label, review, reaction or permission route", () => {
    const offending = files
      .filter((file) => !port.includes(file))
      .flatMap((file) => [...readFileSync(join(src, file), "utf8").matchAll(route)].map((m) => `${file}: ${m[0]}`));
    expect(offending).toEqual([]);
  });
});

describe("one SQLite user", () => {
  // The native driver is the store's; everything else remembers through the Store interface.
  it("only src/store loads better-sqlite3", () => {
    const users = sourceFiles(src)
      .filter((file) => /from "better-sqlite3"/.test(readFileSync(file, "utf8")))
      .map((file) => file.slice(src.length));
    expect(users).toEqual(["store/sqlite.ts"]);
  });
});
