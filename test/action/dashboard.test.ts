import { generateKeyPairSync } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dockerfile, OWNER, startWorld, type World } from "../app/support/world.js";
import { createRunner, errorsOf, type Runner } from "./support.js";

// SPEC 14: the dashboard issue is part of the record between runs. repin finds its dashboard by
// title, marker and seal (an HMAC of the repository and issue number, keyed like PR markers),
// whoever opened it — the Action with an App token opens it as that App's bot, not as
// github-actions[bot] — and never adopts one whose seal does not verify.
const WRITER = "wendy";
let world: World;
let runner: Runner;

beforeEach(async () => {
  world = await startWorld();
  runner = await createRunner(world);
  const image = world.image("base");
  const old = await world.push("base", "1.0", "2024-01-01T00:00:00Z");
  await world.createRepo("svc", { Dockerfile: dockerfile(image, "1.0", old) });
  world.sim.setPermission(OWNER, "svc", WRITER, "write");
  await world.push("base", "1.0", "2024-02-01T00:00:00Z");
});
afterEach(async () => {
  await runner.cleanup();
  await world.stop();
});

const dashboards = () =>
  world.sim.issues(OWNER, "svc").filter((issue) => !issue.pull && issue.title === "repin dashboard");
const openDashboards = () => dashboards().filter((issue) => issue.state === "open");

/** An installation token of another App (what actions/create-github-app-token gives a workflow). */
function appToken(): string {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  world.sim.createApp({ appId: 777, privateKeyPem: privateKey, slug: "team-repin" });
  const { id } = world.sim.createInstallation({ appId: 777, account: OWNER, repositories: "all" });
  return world.sim.createInstallationToken(id);
}

/** Calls the simulator's REST API as a person. */
async function asUser(login: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${world.sim.url}/repos/${OWNER}/svc${path}`, {
    method,
    headers: { authorization: `token ${world.sim.createUserToken(login)}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { number: number };
}

describe("the Action's dashboard issue", () => {
  it("opened through an App token, is found again by the next run: no second dashboard, nothing written", async () => {
    const token = appToken();
    const first = await runner.run("svc", { token });
    expect(errorsOf(first)).toEqual([]);
    const [dashboard] = openDashboards();
    expect(dashboard?.user).toBe("team-repin[bot]");

    world.sim.resetLog();
    const second = await runner.run("svc", { token });
    expect(second.code).toBe(0);
    expect(world.sim.writes()).toBe(0);
    expect(dashboards().map((issue) => issue.number)).toEqual([dashboard!.number]);
  });

  it("never adopts a look-alike whose seal does not verify, even one a writer opened", async () => {
    expect((await runner.run("svc")).code).toBe(0);
    const [real] = openDashboards();
    // The dashboard is closed (repin starts over); a writer opens a copy of it, seal and all.
    await asUser(WRITER, "PATCH", `/issues/${real!.number}`, { state: "closed" });
    const copy = await asUser(WRITER, "POST", "/issues", { title: "repin dashboard", body: real!.body });

    expect((await runner.run("svc")).code).toBe(0);
    const open = openDashboards();
    // The copy is left as its writer wrote it; repin opened a new dashboard of its own.
    expect(open.find((issue) => issue.number === copy.number)?.body).toBe(real!.body);
    const ours = open.filter((issue) => issue.number !== copy.number);
    expect(ours.map((issue) => issue.user)).toEqual(["github-actions[bot]"]);
    expect(ours[0]!.number).toBeGreaterThan(copy.number);
  });
});
