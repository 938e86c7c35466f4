import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushImage, startRegistry, type TestRegistry } from "../support/registry/index.js";
import { json, repin, workspace } from "./harness.js";

/** SPEC 2a in the CLI: compose files and Kubernetes manifests are found, reported with `kind`, and re-pinned in place. */
let registry: TestRegistry;

beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => registry?.stop());

describe("repin scan / apply over every kind", () => {
  it("reports each reference with its kind and rewrites only digest characters", async () => {
    const host = registry.host;
    const old = await pushImage(registry, "team/base", "1.0", { created: "2026-01-01T00:00:00Z" });
    const current = await pushImage(registry, "team/base", "1.0", { created: "2026-02-01T00:00:00Z" });
    const compose = `services:\r\n  web:\r\n    image: "${host}/team/base:1.0@${old.digest}"  # pinned\r\n`;
    const manifest = `apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: a, image: '${host}/team/base:1.0@${old.digest}'}]\n`;
    const dir = await workspace({
      "compose.yaml": compose,
      "deploy/pod.yaml": manifest,
      "deploy/broken.yaml": "apiVersion: v1\nkind: Pod\nspec:\n  containers: [\n",
      "notes.yaml": "title: not a manifest\n",
    });

    const scan = await repin(["scan", dir, "--json"]);
    expect(scan.code).toBe(0);
    const rows = json(scan.stdout).updates as Record<string, unknown>[];
    expect(rows.map((row) => [row.file, row.kind, row.line, row.action])).toEqual([
      ["compose.yaml", "compose", 3, "bump"],
      ["deploy/broken.yaml", "kubernetes", 1, "skip"],
      ["deploy/pod.yaml", "kubernetes", 4, "bump"],
    ]);
    expect(rows[1]!.reason).toMatch(/^invalid YAML at line \d+: /);

    const apply = await repin(["apply", dir]);
    expect(apply.code).toBe(0);
    expect(await readFile(join(dir, "compose.yaml"), "utf8")).toBe(compose.replace(old.digest, current.digest));
    expect(await readFile(join(dir, "deploy/pod.yaml"), "utf8")).toBe(manifest.replace(old.digest, current.digest));
    await rm(dir, { recursive: true });
  });
});
