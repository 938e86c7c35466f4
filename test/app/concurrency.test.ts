import { describe, expect, it } from "vitest";
import { dockerfile, example, OWNER, useWorld } from "./support/world.js";

describe("webhook and schedule together", () => {
  const world = useWorld();

  it("makes one branch and one PR when an installation webhook and a cycle arrive at once", async () => {
    const image = world.image("base");
    const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
    await world.createRepo("svc", { Dockerfile: dockerfile(image, "latest", old) });
    await world.push("base", "latest", "2024-02-01T00:00:00Z");
    const [response] = await Promise.all([world.install(["svc"]), world.repin.runCycle(), world.repin.runCycle()]);
    expect(response.status).toBe(200);
    expect(world.sim.pulls(OWNER, "svc")).toHaveLength(1);
    expect(
      Object.keys(await world.sim.branches(OWNER, "svc")).filter((name) => name.startsWith("repin/")),
    ).toHaveLength(1);
  });

  it("scans repositories added to an installation", async () => {
    const image = world.image("base");
    const old = await world.push("base", "latest", "2024-01-01T00:00:00Z");
    await world.createRepo("added", { Dockerfile: dockerfile(image, "latest", old) });
    await world.push("base", "latest", "2024-02-01T00:00:00Z");
    const payload = example("installation_repositories", "added");
    const response = await world.deliver("installation_repositories", {
      ...payload,
      installation: { ...(payload.installation as object), id: world.installationId },
      repositories_added: [{ id: 1, node_id: "R_1", name: "added", full_name: `${OWNER}/added`, private: false }],
    });
    expect(response.status).toBe(200);
    expect(world.sim.pulls(OWNER, "added")).toHaveLength(1);
  });
});
