/**
 * `repin scan <file>` reads a file named alone as the kind its place in the repository makes it: a
 * values file beside its Chart.yaml is Helm values, a file under `.github/workflows/` a workflow, a
 * chart's templates are not read, as when the whole repository is scanned.
 */
import { describe, expect, it } from "vitest";
import { json, repin, workspace } from "../cli/harness.js";

/** Values and images that are skips with a reason: nothing asks a registry. */
const REPOSITORY = {
  ".git/HEAD": "ref: refs/heads/main\n",
  "chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
  "chart/values.yaml": "image:\n  repository: 127.0.0.1:9/app\n  tag: ''\n",
  "chart/templates/deployment.yaml":
    "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: '{{ .Values.image.repository }}'\n",
  ".github/workflows/ci.yml": "jobs:\n  test:\n    container: ${{ matrix.image }}\n",
  ".devcontainer/devcontainer.json": '{ "image": "${localEnv:IMAGE}" }',
};

async function rowsOf(dir: string, path: string) {
  const result = await repin(["scan", `${dir}/${path}`, "--json"]);
  expect(result.stderr).toBe("");
  return json(result.stdout).updates.map((row) => [row.file, row.kind, row.code]);
}

describe("a file named alone", () => {
  it("is read as the kind its place in the repository makes it", async () => {
    const dir = await workspace(REPOSITORY);
    expect(await rowsOf(dir, "chart/values.yaml")).toEqual([["values.yaml", "helm", "not-literal"]]);
    expect(await rowsOf(dir, ".github/workflows/ci.yml")).toEqual([["ci.yml", "workflow", "not-literal"]]);
    expect(await rowsOf(dir, ".devcontainer/devcontainer.json")).toEqual([
      ["devcontainer.json", "devcontainer", "not-literal"],
    ]);
    // A folder below the repository root, too.
    expect(await rowsOf(dir, ".github")).toEqual([["workflows/ci.yml", "workflow", "not-literal"]]);
  });

  it("is not read when it is a chart's template", async () => {
    const dir = await workspace(REPOSITORY);
    const result = await repin(["scan", `${dir}/chart/templates/deployment.yaml`, "--json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is not a kind of file repin reads");
  });

  it("outside a git repository is read by its folder, as before", async () => {
    const { [".git/HEAD"]: _git, ...files } = REPOSITORY;
    const dir = await workspace(files);
    expect(await rowsOf(dir, "chart/values.yaml")).toEqual([["values.yaml", "helm", "not-literal"]]);
    // Without a repository root, `.github/workflows/` is only a folder name.
    expect(await rowsOf(dir, ".github/workflows/ci.yml")).toEqual([]);
  });
});
