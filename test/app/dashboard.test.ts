import { describe, expect, it } from "vitest";
import { comment, dashboardOf, dockerfile, editIssue, OWNER, useWorld } from "./support/world.js";

const world = useWorld();

const open = (repo: string) => world.sim.pulls(OWNER, repo).filter((pull) => pull.state === "open");
const WRITER = { user: "wendy" };
const MISSING = `sha256:${"1".repeat(64)}`;

describe("the dashboard issue", () => {
  it("shows every reference and its state, and is edited only when that changes", async () => {
    const image = world.image("base");
    const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
    await world.createRepo("svc", {
      Dockerfile: dockerfile(image, "latest", old),
      "gone.Dockerfile": dockerfile(world.image("gone"), "latest", MISSING),
      "plain.Dockerfile": `FROM ${image}:latest\n`,
    });
    await world.repin.runCycle();
    let body = dashboardOf(world, "svc")!.body!;
    expect(body).toMatch(/\| `Dockerfile` \| 1 \| `[^`]+\/base` \| `latest` \| `sha256:[0-9a-f]{12}` \| current \|/);
    expect(body).toMatch(/\| `gone.Dockerfile` \| 1 \| .* \| registry error: /);
    expect(body).toMatch(/\| `plain.Dockerfile` \| 1 \| .* \| skipped: /);
    expect(world.sim.issues(OWNER, "svc").filter((issue) => issue.title === "repin dashboard")).toHaveLength(1);

    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);

    await world.push("base", "latest", "2024-02-01T00:00:00Z");
    await world.repin.runCycle();
    const [pull] = open("svc");
    body = dashboardOf(world, "svc")!.body!;
    expect(body).toContain(`| PR open #${pull!.number} |`);
    expect(body).toContain(`Recreate PR #${pull!.number}`);

    // After a restart the issue is found again (by creator and title), not duplicated.
    await world.restart();
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
    expect(world.sim.issues(OWNER, "svc").filter((issue) => issue.title === "repin dashboard")).toHaveLength(1);
  });

  it("acts on a ticked rescan box by a writer and renders it unticked; a reader's edit is undone", async () => {
    const image = world.image("base");
    const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
    await world.createRepo("svc", { Dockerfile: dockerfile(image, "latest", old) });
    world.sim.setPermission(OWNER, "svc", WRITER.user, "write");
    await world.repin.runCycle();
    const dashboard = dashboardOf(world, "svc")!;
    await world.push("base", "latest", "2024-02-01T00:00:00Z");

    await editIssue(
      world,
      "svc",
      dashboard.number,
      WRITER,
      dashboard.body!.replace("- [ ] <!-- repin:rescan -->", "- [x] <!-- repin:rescan -->"),
    );
    expect(open("svc")).toHaveLength(1);
    expect(dashboardOf(world, "svc")!.body).toContain("- [ ] <!-- repin:rescan -->");

    const [pull] = open("svc");
    await comment(world, "svc", pull!.number, WRITER, "/repin ignore this digest");
    const withIgnore = dashboardOf(world, "svc")!.body!;
    const line = withIgnore.split("\n").find((l) => l.includes("<!-- repin:ignore:"))!;
    await editIssue(world, "svc", dashboard.number, { user: "rick" }, withIgnore.replace(`${line}\n`, ""));
    expect(dashboardOf(world, "svc")!.body).toBe(withIgnore);
    expect(open("svc")).toHaveLength(0);

    // A writer deleting the line undoes the ignore: the PR comes back.
    await editIssue(world, "svc", dashboard.number, WRITER, withIgnore.replace(`${line}\n`, ""));
    expect(open("svc")).toHaveLength(1);
    expect(dashboardOf(world, "svc")!.body).toContain("Nothing is ignored.");
  });

  it("holds a new digest for minimumAge, then proposes it", async () => {
    const image = world.image("base");
    const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
    await world.createRepo("svc", {
      Dockerfile: dockerfile(image, "latest", old),
      ".github/repin.yml": "minimumAge: 24h\n",
    });
    await world.push("base", "latest", "2024-02-01T00:00:00Z");
    await world.repin.runCycle();
    expect(open("svc")).toHaveLength(0);
    expect(dashboardOf(world, "svc")!.body).toContain("held by minimumAge until");

    world.advance(23 * 3_600_000);
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
    world.advance(2 * 3_600_000);
    await world.repin.runCycle();
    expect(open("svc")).toHaveLength(1);
  });

  it("with dashboard: false there is no issue, and a PR closed unmerged stays declined by its marker", async () => {
    const image = world.image("base");
    const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
    await world.createRepo("svc", {
      Dockerfile: dockerfile(image, "latest", old),
      ".github/repin.yml": "dashboard: false\n",
    });
    world.sim.setPermission(OWNER, "svc", WRITER.user, "write");
    await world.push("base", "latest", "2024-02-01T00:00:00Z");
    await world.repin.runCycle();
    const [pull] = open("svc");
    await comment(world, "svc", pull!.number, WRITER, "/repin ignore this image");
    await world.push("base", "latest", "2024-03-01T00:00:00Z");
    await world.restart();
    await world.repin.runCycle();
    expect(open("svc")).toHaveLength(0);
    expect(dashboardOf(world, "svc")).toBeUndefined();

    await comment(world, "svc", pull!.number, WRITER, "/repin unignore");
    expect(open("svc")).toHaveLength(1);
  });

  it("holds PRs outside the schedule and says so", async () => {
    const image = world.image("base");
    const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
    // February 31st never comes.
    await world.createRepo("svc", {
      Dockerfile: dockerfile(image, "latest", old),
      ".github/repin.yml": 'schedule: ["* * 31 2 *"]\n',
    });
    await world.push("base", "latest", "2024-02-01T00:00:00Z");
    await world.repin.runCycle();
    expect(open("svc")).toHaveLength(0);
    expect(dashboardOf(world, "svc")!.body).toContain("| held by schedule |");
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
  });

  it("acts only on its own dashboard, never on another bot's look-alike issue", async () => {
    const image = world.image("lookalike");
    const old = await world.push("lookalike", "latest", "2024-01-01T00:00:00Z");
    await world.createRepo("mimic", { Dockerfile: dockerfile(image, "latest", old) });
    await world.repin.runCycle();
    const real = dashboardOf(world, "mimic")!;
    // repin's own dashboard is closed and repin restarts, so it knows no dashboard of "mimic".
    await fetch(`${world.sim.url}/repos/${OWNER}/mimic/issues/${real.number}`, {
      method: "PATCH",
      headers: { authorization: `token ${world.sim.createUserToken(OWNER)}`, "content-type": "application/json" },
      body: JSON.stringify({ state: "closed" }),
    });
    await world.restart();
    const token = world.sim.createUserToken("other-app[bot]");
    const created = await fetch(`${world.sim.url}/repos/${OWNER}/mimic/issues`, {
      method: "POST",
      headers: { authorization: `token ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ title: "repin dashboard", body: real.body }),
    });
    const fake = (await created.json()) as { number: number };
    world.sim.setPermission(OWNER, "mimic", WRITER.user, "write");
    world.sim.resetLog();
    await editIssue(
      world,
      "mimic",
      fake.number,
      WRITER,
      real.body!.replace("- [ ] <!-- repin:rescan -->", "- [x] <!-- repin:rescan -->"),
    );
    expect(world.sim.writes()).toBe(0);
    const acted = world.sim.requests.filter(
      (request) => request.method !== "GET" && !request.path.endsWith("/access_tokens"),
    );
    expect(acted.map((request) => `${request.method} ${request.path}`)).toEqual([]);
  });
});
