import { describe, expect, it } from "vitest";
import { comment, dashboardOf, dockerfile, editIssue, OWNER, useWorld } from "./support/world.js";

const world = useWorld();

const open = (repo: string) => world.sim.pulls(OWNER, repo).filter((pull) => pull.state === "open");
const dashboards = (repo: string) =>
  world.sim.issues(OWNER, repo).filter((issue) => !issue.pull && issue.title === "repin dashboard");
const WRITER = { user: "wendy" };
const READER = { user: "rick" };

/** A repository whose one repin PR a writer declined with `/repin ignore this digest`. */
async function repoWithIgnore() {
  const image = world.image("base");
  const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
  await world.createRepo("svc", { Dockerfile: dockerfile(image, "latest", old) });
  world.sim.setPermission(OWNER, "svc", WRITER.user, "write");
  world.sim.setPermission(OWNER, "svc", READER.user, "read");
  await world.repin.runCycle();
  const plain = dashboardOf(world, "svc")!.body!;
  await world.push("base", "latest", "2024-02-01T00:00:00Z");
  await world.repin.runCycle();
  const [pull] = open("svc");
  await comment(world, "svc", pull!.number, WRITER, "/repin ignore this digest");
  expect(open("svc")).toHaveLength(0);
  const dashboard = dashboardOf(world, "svc")!;
  return { plain, dashboard, withIgnore: dashboard.body! };
}

/** Calls the simulator's REST API as `login` (a person, or the App's bot user). */
async function api(login: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${world.sim.url}/repos/${OWNER}/svc${path}`, {
    method,
    headers: { authorization: `token ${world.sim.createUserToken(login)}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { number: number };
}

describe("the dashboard issue against edits and other processes", () => {
  it("restores what repin last wrote after two quick reader edits (the second event's `from` is the first edit)", async () => {
    const { dashboard, withIgnore } = await repoWithIgnore();
    const line = withIgnore.split("\n").find((l) => l.includes("<!-- repin:ignore:"))!;
    const first = withIgnore.replace(`${line}\n`, "");
    const second = `${first}\nmine now\n`;

    await editIssue(world, "svc", dashboard.number, READER, first);
    await editIssue(world, "svc", dashboard.number, READER, second, { from: first });
    expect(dashboardOf(world, "svc")!.body).toBe(withIgnore);
    expect(open("svc")).toHaveLength(0);
    await world.repin.runCycle();
    expect(open("svc")).toHaveLength(0);
    expect(dashboardOf(world, "svc")!.body).toBe(withIgnore);
  });

  it("two processes racing the first cycle leave one dashboard: the oldest; the other is closed with a pointer", async () => {
    const image = world.image("base");
    const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
    await world.createRepo("svc", { Dockerfile: dockerfile(image, "latest", old) });
    const other = await world.spawn();
    // The race, made certain: the other process looked for the dashboard (none) before this one opened it.
    await other.store.dashboards.put(`${OWNER}/svc`, { number: null, body: "", ignores: [] });
    await world.repin.runCycle();
    await other.runCycle();
    await Promise.all([world.repin.runCycle(), other.runCycle()]);

    expect(dashboards("svc")).toHaveLength(2);
    const [oldest, newer] = [...dashboards("svc")].sort((a, b) => a.number - b.number);
    expect(oldest!.state).toBe("open");
    expect(newer!.state).toBe("closed");
    expect(world.sim.comments(OWNER, "svc", newer!.number).at(-1)?.body).toContain(`#${oldest!.number} is the one`);

    world.sim.resetLog();
    await Promise.all([world.repin.runCycle(), other.runCycle()]);
    expect(world.sim.writes()).toBe(0);
  });

  it("a cold start that finds duplicates keeps the oldest, merges the others' ignores into it and closes them", async () => {
    const { plain, dashboard, withIgnore } = await repoWithIgnore();
    // A duplicate from an earlier race holds the ignore; the oldest does not. The duplicate's process
    // stopped before sealing it (a seal names its own issue's number, so it cannot carry the oldest's).
    const bot = dashboard.user;
    const unsealed = withIgnore.replace(/\n*<!-- repin:dashboard-seal:[^>]*-->/, "");
    expect(unsealed).not.toBe(withIgnore);
    const duplicate = await api(bot, "POST", "/issues", { title: "repin dashboard", body: unsealed });
    await api(bot, "PATCH", `/issues/${dashboard.number}`, { body: plain });
    await world.restart();
    await world.repin.runCycle();

    const kept = dashboards("svc").find((issue) => issue.number === dashboard.number)!;
    expect(kept.state).toBe("open");
    expect(kept.body).toContain("<!-- repin:ignore:");
    const closed = dashboards("svc").find((issue) => issue.number === duplicate.number)!;
    expect(closed.state).toBe("closed");
    expect(world.sim.comments(OWNER, "svc", duplicate.number).at(-1)?.body).toContain(`#${dashboard.number}`);
    expect(open("svc")).toHaveLength(0);

    world.sim.resetLog();
    await world.restart();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
  });
});
