import { describe, expect, it } from "vitest";
import { dockerfile, OWNER, useWorld } from "./support/world.js";

const world = useWorld();

describe("an empty repository", () => {
  it("is passed over without a failure or a write until its first push, then gets its PR", async () => {
    const image = world.image("base");
    const old = await world.push("base", "1.0", "2024-01-01T00:00:00Z");
    await world.sim.createEmptyRepo(OWNER, "blank", { installationId: world.installationId });

    const first = await world.repin.runCycle();
    expect(first.outcomes).toEqual([expect.objectContaining({ repo: `${OWNER}/blank`, kind: "empty" })]);
    expect(world.sim.writes()).toBe(0);
    // The answer repin read is GitHub's for an empty repository, not a 404 from a route nobody serves.
    expect(world.sim.requests.some((request) => request.status === 409)).toBe(true);

    await world.sim.commitFiles(OWNER, "blank", "main", { Dockerfile: dockerfile(image, "1.0", old) });
    await world.push("base", "1.0", "2024-02-01T00:00:00Z");
    await world.repin.runCycle();
    expect(world.sim.pulls(OWNER, "blank").filter((pull) => pull.state === "open")).toHaveLength(1);
  });
});
