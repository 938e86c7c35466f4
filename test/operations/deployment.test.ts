// repin pins its own base images (issue 12 item 6): the repository's Dockerfile and compose.yaml
// write them by tag, `.github/repin.yml` says `pin: true`, and repin's own scanner — the code the
// CLI runs over a directory — finds those references and nothing else in the repository.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readLocalFiles } from "../../src/cli/files.js";
import { resolveTarget } from "../../src/cli/target.js";
import { createPathFilter, planOptionsFrom } from "../../src/lookup/index.js";
import { scanFiles } from "../../src/plan/index.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("repin's own deployment files", () => {
  it("are what repin's scanner finds in this repository, every base written by tag, with pin: true", async () => {
    const target = await resolveTarget(root, ".", null);
    expect(planOptionsFrom(target.config, {}).pin).toBe(true);
    const local = await readLocalFiles(target.root, createPathFilter(target.config.paths));
    const found = scanFiles(local.files)
      .filter((file) => file.references.length > 0 || file.error !== null)
      .map((file) => ({
        path: file.path,
        kind: file.kind,
        error: file.error,
        images: file.references.map((reference) => reference.expanded),
      }));
    expect(found).toEqual([
      {
        path: "compose.yaml",
        kind: "compose",
        error: null,
        images: ["postgres:16-bookworm"],
      },
      {
        path: "Dockerfile",
        kind: "dockerfile",
        error: null,
        images: ["node:20-bookworm-slim", "node:20-bookworm-slim"],
      },
    ]);
    // By tag only: no digest is ever invented here; repin writes them.
    for (const file of scanFiles(local.files))
      for (const reference of file.references) expect(reference.ref?.digest ?? null).toBeNull();
  });

  it("the image runs repin's graceful entry point as a non-root user, and compose waits longer than the grace", () => {
    const dockerfile = readFileSync(new URL("../../Dockerfile", import.meta.url), "utf8");
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/app\/main\.js"\]$/m);
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    const compose = readFileSync(new URL("../../compose.yaml", import.meta.url), "utf8");
    expect(compose).toMatch(/REPIN_DATABASE_URL: postgres:\/\//);
    expect(Number(/stop_grace_period: (\d+)s/.exec(compose)?.[1])).toBeGreaterThan(25);
  });
});
