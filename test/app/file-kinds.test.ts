import { describe, expect, it } from "vitest";
import { dashboardOf, OWNER, useWorld, type World } from "./support/world.js";

// SPEC 2a end to end: a repository with a compose file and a Kubernetes manifest (comments, quotes,
// flow style, an anchor, CRLF, several documents) gets one PR per image whose diff changes only
// digest characters, with each file's kind beside it in the PR table and on the dashboard.

function composeFile(w: World, base: string): string {
  return [
    "# The services this repository runs.",
    "x-base: &base",
    `  image: "${w.image("base")}:1.0@${base}"   # pinned by repin`,
    "services:",
    "  web:",
    "    <<: *base",
    '    ports: ["80:80"]',
    `  worker: {image: '${w.image("base")}:1.0@${base}', command: run}`,
    "",
  ].join("\r\n");
}

function manifest(w: World, base: string, tools: string): string {
  return [
    "apiVersion: v1",
    "kind: Service",
    "metadata: {name: web}",
    "---",
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: web",
    "spec:",
    "  template:",
    "    spec:",
    "      initContainers:",
    `        - image: ${w.image("tools")}:2.0@${tools}`,
    "      containers:",
    "        - name: web",
    `          image: ${w.image("base")}:1.0@${base}  # the app`,
    "",
  ].join("\n");
}

describe("compose files and Kubernetes manifests in the App", () => {
  const world = useWorld();
  const openPulls = () => world.sim.pulls(OWNER, "svc").filter((pull) => pull.state === "open");
  it("one PR per image, diffs that change only digest characters, kinds shown", async () => {
    const base = await world.push("base", "1.0", "2024-01-01T00:00:00Z");
    const tools = await world.push("tools", "2.0", "2024-01-05T00:00:00Z");
    const files = { "compose.yaml": composeFile(world, base), "deploy/web.yaml": manifest(world, base, tools) };
    await world.createRepo("svc", files);
    const newBase = await world.push("base", "1.0", "2024-02-01T00:00:00Z");
    const newTools = await world.push("tools", "2.0", "2024-02-05T00:00:00Z");

    await world.repin.runCycle();
    const pulls = openPulls();
    expect(pulls.map((pull) => pull.title).sort()).toEqual([
      `Bump ${world.image("base")}:1.0 digest to ${newBase.slice(7, 19)}`,
      `Bump ${world.image("tools")}:2.0 digest to ${newTools.slice(7, 19)}`,
    ]);
    const byImage = (name: string) => pulls.find((pull) => pull.title.includes(`/${name}:`))!;

    const baseBranch = byImage("base").pull!.headRef;
    for (const [path, before] of Object.entries(files)) {
      expect(await world.sim.readFile(OWNER, "svc", baseBranch, path)).toBe(before.replaceAll(base, newBase));
    }
    const toolsBranch = byImage("tools").pull!.headRef;
    expect(await world.sim.readFile(OWNER, "svc", toolsBranch, "compose.yaml")).toBe(files["compose.yaml"]);
    expect(await world.sim.readFile(OWNER, "svc", toolsBranch, "deploy/web.yaml")).toBe(
      files["deploy/web.yaml"].replace(tools, newTools),
    );

    const body = byImage("base").body!;
    // The anchor's line for both compose services (they share its characters), the worker's own line.
    expect(body).toContain("| `compose.yaml` (compose) | 3 |");
    expect(body).toContain("| `compose.yaml` (compose) | 8 |");
    expect(body).toContain("| `deploy/web.yaml` (kubernetes) | 16 |");
    const dashboard = dashboardOf(world, "svc")!.body!;
    expect(dashboard).toContain("| `deploy/web.yaml` (kubernetes) | 13 |");

    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
  });
});

describe("an installation without workflows: write", () => {
  const limited = useWorld({
    permissions: { contents: "write", metadata: "read", pull_requests: "write", issues: "write", checks: "write" },
  });

  it("edits the other files and reports the references under .github/workflows/ on the dashboard, unedited", async () => {
    const base = await limited.push("base", "1.0", "2024-01-01T00:00:00Z");
    const pod = `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: ${limited.image("base")}:1.0@${base}\n`;
    const ci = `on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    container: ${limited.image("base")}:1.0@${base}\n`;
    await limited.createRepo("svc", { "deploy/pod.yaml": pod, ".github/workflows/ci.yml": ci });
    const newBase = await limited.push("base", "1.0", "2024-02-01T00:00:00Z");

    await limited.repin.runCycle();
    const [pull, ...rest] = limited.sim.pulls(OWNER, "svc").filter((p) => p.state === "open");
    expect(rest).toEqual([]);
    const branch = pull!.pull!.headRef;
    expect(await limited.sim.readFile(OWNER, "svc", branch, "deploy/pod.yaml")).toBe(pod.replace(base, newBase));
    expect(await limited.sim.readFile(OWNER, "svc", branch, ".github/workflows/ci.yml")).toBe(ci);
    expect(dashboardOf(limited, "svc")!.body).toMatch(
      /\| `\.github\/workflows\/ci\.yml` \(workflow\) \| 5 \| .* \| skipped: not edited\\: this installation did not grant repin \\`workflows\\: write\\`/,
    );
  });
});

describe("workflows, Helm values, Kustomize, dev containers and # syntax= in the App", () => {
  const world = useWorld();

  it("one PR per image, diffs that change only digest characters, each file's kind shown", async () => {
    const base = await world.push("base", "1.0", "2024-01-01T00:00:00Z");
    const tools = await world.push("tools", "2.0", "2024-01-05T00:00:00Z");
    const image = world.image("base");
    const files: Record<string, string> = {
      ".github/workflows/ci.yml": `on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    container: ${image}:1.0@${base}\n`,
      "chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
      "chart/values.yaml": `image:\r\n  repository: ${image} # ours\r\n  tag: "1.0"\r\n  digest: '${base}'\r\n`,
      "deploy/kustomization.yaml": `images:\n- name: app\n  newName: ${image}\n  newTag: "1.0"\n  digest: ${base}\n`,
      ".devcontainer/devcontainer.json": `\uFEFF{\n  // the dev image\n  "image": "${image}:1.0@${base}",\n}\n`,
      Dockerfile: `# syntax=${world.image("tools")}:2.0@${tools}\nFROM scratch\n`,
    };
    await world.createRepo("svc", files);
    const newBase = await world.push("base", "1.0", "2024-02-01T00:00:00Z");
    const newTools = await world.push("tools", "2.0", "2024-02-05T00:00:00Z");

    await world.repin.runCycle();
    const pulls = world.sim.pulls(OWNER, "svc").filter((pull) => pull.state === "open");
    expect(pulls.map((pull) => pull.title).sort()).toEqual([
      `Bump ${image}:1.0 digest to ${newBase.slice(7, 19)}`,
      `Bump ${world.image("tools")}:2.0 digest to ${newTools.slice(7, 19)}`,
    ]);
    const byImage = (name: string) => pulls.find((pull) => pull.title.includes(`/${name}:`))!;
    const baseBranch = byImage("base").pull!.headRef;
    for (const [path, before] of Object.entries(files)) {
      expect(await world.sim.readFile(OWNER, "svc", baseBranch, path)).toBe(before.replaceAll(base, newBase));
    }
    const toolsBranch = byImage("tools").pull!.headRef;
    expect(await world.sim.readFile(OWNER, "svc", toolsBranch, "Dockerfile")).toBe(
      files.Dockerfile!.replace(tools, newTools),
    );
    const body = byImage("base").body!;
    expect(body).toContain("| `.github/workflows/ci.yml` (workflow) | 5 |");
    expect(body).toContain("| `chart/values.yaml` (helm) | 4 |");
    expect(body).toContain("| `deploy/kustomization.yaml` (kustomize) | 5 |");
    expect(body).toContain("| `.devcontainer/devcontainer.json` (devcontainer) | 3 |");
    // A Dockerfile is shown without its kind, as before kinds existed.
    expect(byImage("tools").body).toContain("| `Dockerfile` | 1 |");
  });
});
