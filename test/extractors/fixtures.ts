/** Every fixture of the kinds (real-world and hostile), at the path it is read at, for the property tests. */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { SourceFile } from "../../src/plan/index.js";
import { HOSTILE, manyDocuments, OLD, type Fixture } from "./hostile.js";

const realWorld = (kind: string): Fixture[] => {
  const dir = fileURLToPath(new URL(`./real-world/fixtures/${kind}/`, import.meta.url));
  return readdirSync(dir).map((file) => ({
    path: kind === "compose" ? `${file.replace(/\.compose\.yaml$/, "")}/compose.yaml` : `k8s/${file}`,
    text: readFileSync(`${dir}${file}`, "utf8"),
  }));
};
/** The real-world files of the kinds with a folder of their own (`<kind>/fixtures/`), at the paths they are read at. */
const kindFixtures = (kind: string, pathOf: (file: string) => string): Fixture[] => {
  const dir = fileURLToPath(new URL(`./${kind}/fixtures/`, import.meta.url));
  return readdirSync(dir).map((file) => ({ path: pathOf(file), text: readFileSync(`${dir}${file}`, "utf8") }));
};
export const CHART: SourceFile = { path: "chart/Chart.yaml", content: "apiVersion: v2\nname: app\nversion: 1.0.0\n" };
/** The file and what is read beside it (a values file's Chart.yaml). */
export const withBeside = (path: string, content: string): SourceFile[] => [
  { path, content },
  ...(path.startsWith("chart/") ? [CHART] : []),
];
export const FIXTURES: readonly Fixture[] = [
  ...realWorld("compose"),
  ...realWorld("kubernetes"),
  ...kindFixtures("workflow", (file) => `.github/workflows/${file}`),
  ...kindFixtures("helm", () => "chart/values.yaml"),
  ...kindFixtures("kustomize", (file) => `${file}/kustomization.yaml`),
  ...kindFixtures("devcontainer", () => ".devcontainer/devcontainer.json"),
  ...kindFixtures("dockerfile", (file) => `${file}/Dockerfile`),
  {
    path: "chart/values.yaml",
    text: `\uFEFFa: &img\r\n  repository: r.io/base # ours\r\n  tag: "1.0"\r\n  digest: ''\r\nb:\r\n  <<: *img\r\n  tag: 1.0.1\r\nc: {registry: r.io, repository: other, tag: '2.1.3', digest: "${OLD}"}\r\nd: {repository: r.io/n, tag: 7.2}\r\n`,
  },
  {
    path: "kustomization.yaml",
    text: `images:\r\n- name: x\r\n  newName: r.io/base\r\n  newTag: "1.0" # pinned\r\n  digest: ${OLD}\r\n- {name: r.io/other, newTag: 2.1.3, digest: ""}\r\n`,
  },
  {
    path: ".github/workflows/ci.yml",
    text: `jobs:\n  a:\n    container: {image: "r.io/base:1.0@${OLD}"}\n    services: {db: {image: 'r.io/other:2.1.3'}}\n    steps:\n      - uses: docker://r.io/base:1.0\n      - uses: docker://\${{ env.X }}\n`,
  },
  {
    path: ".devcontainer/devcontainer.json",
    text: `\uFEFF{\r\n  // dev\r\n  "image": /* c */ "r.io/base:1.0@${OLD}",\r\n  "features": {},\r\n}\r\n`,
  },
  { path: "Dockerfile", text: `# escape=\`\r\n# syntax = r.io/frontend:1.7 --x\r\nFROM r.io/base:1.0@${OLD}\r\n` },
  ...HOSTILE,
  { path: "k8s/many.yaml", text: manyDocuments(40) },
];
