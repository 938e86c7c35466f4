import { describe, expect, it } from "vitest";
import { comment, dashboardOf, OWNER, useWorld, type World } from "./support/world.js";

// SPEC 5: closing a PR unmerged, `/repin ignore`, and a restart hold for every kind of PR —
// digest bump, pin, tag update; pinned or unpinned — and a newer digest or tag is proposed again.
const world = useWorld();

const open = () => world.sim.pulls(OWNER, "svc").filter((pull) => pull.state === "open");
const WRITER = { user: "wendy" };

interface Kind {
  readonly name: string;
  /** Pushes the image, creates the repository; the tag then moves (or a newer tag appears). */
  readonly seed: (w: World) => Promise<void>;
  /** A newer digest or tag: proposed again after a decline of the last one. */
  readonly newer: (w: World) => Promise<void>;
}

const KINDS: readonly Kind[] = [
  {
    name: "digest bump",
    seed: async (w) => {
      const old = await w.push("base", "1.0", "2024-01-01T00:00:00Z");
      await w.createRepo("svc", { Dockerfile: `FROM ${w.image("base")}:1.0@${old}\n` });
      await w.push("base", "1.0", "2024-02-01T00:00:00Z");
    },
    newer: (w) => w.push("base", "1.0", "2024-03-01T00:00:00Z").then(() => undefined),
  },
  {
    name: "pin",
    seed: async (w) => {
      await w.push("base", "1.0", "2024-01-01T00:00:00Z");
      await w.createRepo("svc", { Dockerfile: `FROM ${w.image("base")}:1.0\n`, ".github/repin.yml": "pin: true\n" });
    },
    newer: (w) => w.push("base", "1.0", "2024-03-01T00:00:00Z").then(() => undefined),
  },
  {
    name: "unpinned tag update",
    seed: async (w) => {
      await w.push("base", "3.12.7", "2024-01-01T00:00:00Z");
      await w.createRepo("svc", { Dockerfile: `FROM ${w.image("base")}:3.12.7\n` });
      await w.push("base", "3.12.8", "2024-02-01T00:00:00Z");
    },
    newer: (w) => w.push("base", "3.12.9", "2024-03-01T00:00:00Z").then(() => undefined),
  },
  {
    name: "pinned tag update",
    seed: async (w) => {
      const old = await w.push("base", "3.12.7", "2024-01-01T00:00:00Z");
      await w.createRepo("svc", { Dockerfile: `FROM ${w.image("base")}:3.12.7@${old}\n` });
      await w.push("base", "3.12.8", "2024-02-01T00:00:00Z");
    },
    newer: (w) => w.push("base", "3.12.9", "2024-03-01T00:00:00Z").then(() => undefined),
  },
];

/** Two cycles, a restart, two more: none of them may bring the declined PR back. */
async function cyclesAcrossARestart(): Promise<void> {
  await world.repin.runCycle();
  await world.repin.runCycle();
  await world.restart();
  await world.repin.runCycle();
  await world.repin.runCycle();
}

describe.each(KINDS)("a $name", (kind) => {
  async function opened() {
    await kind.seed(world);
    world.sim.setPermission(OWNER, "svc", WRITER.user, "write");
    await world.repin.runCycle();
    const pulls = open();
    expect(pulls).toHaveLength(1);
    return pulls[0]!;
  }

  it("closed unmerged stays closed across a restart; a newer one is proposed", async () => {
    const pull = await opened();
    world.sim.closePull(OWNER, "svc", pull.number, { by: WRITER.user });
    await cyclesAcrossARestart();
    expect(open()).toEqual([]);
    expect(world.sim.pulls(OWNER, "svc")).toHaveLength(1);
    expect(dashboardOf(world, "svc")!.body).toContain(`#${pull.number} closed without merging`);

    await kind.newer(world);
    await world.repin.runCycle();
    expect(open()).toHaveLength(1);
  });

  it("`/repin ignore this image` closes it, and neither it nor a newer one comes back, across a restart", async () => {
    const pull = await opened();
    expect((await comment(world, "svc", pull.number, WRITER, "/repin ignore this image")).status).toBe(200);
    expect(open()).toEqual([]);
    await cyclesAcrossARestart();
    await kind.newer(world);
    await cyclesAcrossARestart();
    expect(open()).toEqual([]);
    expect(world.sim.pulls(OWNER, "svc")).toHaveLength(1);
  });

  it("`/repin ignore this digest` closes it for good; a newer one is proposed", async () => {
    const pull = await opened();
    await comment(world, "svc", pull.number, WRITER, "/repin ignore this digest");
    expect(world.sim.comments(OWNER, "svc", pull.number).at(-1)?.body ?? "").not.toContain("cannot");
    await cyclesAcrossARestart();
    expect(open()).toEqual([]);
    await kind.newer(world);
    await world.repin.runCycle();
    expect(open()).toHaveLength(1);
  });

  it("an open PR survives a restart as it is: nothing is written", async () => {
    const pull = await opened();
    await world.restart();
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writeLog().filter((write) => !write.path.includes("/issues/"))).toEqual([]);
    expect(open().map((p) => p.number)).toEqual([pull.number]);
  });
});
