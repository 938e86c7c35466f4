import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseMarker } from "../../src/proposals/index.js";
import { comment, dockerfile, OWNER, startWorld, type World } from "../app/support/world.js";
import { createRunner, type Runner } from "./support.js";

// SPEC 5, 10 and 14: the App answers `/repin` commands on a PR the Action opened (its author is
// github-actions[bot], not the App) because its marker carries a seal made with the key both share
// (REPIN_MARKER_KEY / `marker-key`); a look-alike PR without such a seal is still not repin's.
// Commands arrive as signed `issue_comment` webhooks at the real Probot server.
const SHARED = "shared marker secret";
const WRITER = { user: "wendy" };
let world: World;
let runner: Runner;

beforeEach(async () => {
  process.env.REPIN_MARKER_KEY = SHARED;
  world = await startWorld();
  runner = await createRunner(world);
});
afterEach(async () => {
  delete process.env.REPIN_MARKER_KEY;
  await runner.cleanup();
  await world.stop();
});

const openPulls = () => world.sim.pulls(OWNER, "svc").filter((pull) => pull.state === "open");
const lastComment = (number: number) => world.sim.comments(OWNER, "svc", number).at(-1)?.body ?? "";

/** The Action's PR for a moved tag, the App installed after it (it takes the PR over: same key). */
async function actionPr() {
  const image = world.image("base");
  const old = await world.push("base", "1.0", "2024-01-01T00:00:00Z");
  await world.createRepo("svc", { Dockerfile: dockerfile(image, "1.0", old) });
  world.sim.setPermission(OWNER, "svc", WRITER.user, "write");
  await world.push("base", "1.0", "2024-02-01T00:00:00Z");
  expect((await runner.run("svc", { "marker-key": SHARED })).code).toBe(0);
  await world.install(["svc"]);
  const [pull] = openPulls();
  expect(pull?.user).toBe("github-actions[bot]");
  return pull!;
}

describe("/repin commands on a PR the Action opened", () => {
  it("are acted on by the App: the seal made with the shared key says the PR is repin's", async () => {
    const pull = await actionPr();
    expect((await comment(world, "svc", pull.number, WRITER, "/repin ignore this digest")).status).toBe(200);
    expect(lastComment(pull.number)).toContain("Ignoring digest");
    expect(openPulls()).toEqual([]);
    expect(parseMarker(world.sim.pulls(OWNER, "svc")[0]!.body)?.ignore).toBe("digest");
  });

  it("are refused on a look-alike PR whose marker is not sealed for its branch, whoever opened it", async () => {
    const pull = await actionPr();
    const branch = "repin/look/alike/1.0";
    await world.sim.commitFiles(OWNER, "svc", branch, { "x.txt": "x\n" }, { author: WRITER.user });
    const copied = parseMarker(pull.body)!;
    for (const marker of [copied, { ...copied, sig: undefined }]) {
      const fake = await world.sim.createPull(OWNER, "svc", {
        head: branch,
        title: "look-alike",
        body: `<!-- repin:${JSON.stringify(marker)} -->`,
        user: WRITER.user,
      });
      await comment(world, "svc", fake, WRITER, "/repin ignore this image");
      expect(lastComment(fake)).toContain("works only on a repin PR");
      world.sim.closePull(OWNER, "svc", fake, { by: WRITER.user });
    }
    expect(openPulls().map((open) => open.number)).toEqual([pull.number]);
  });
});
