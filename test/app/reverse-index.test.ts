import { describe, expect, it } from "vitest";
import { dockerfile, OWNER, pushPayload, useWorld } from "./support/world.js";

const world = useWorld();

describe("the reverse index", () => {
  it("is recorded by the cycle and replaced by a webhook rescan", async () => {
    const old = await world.push("base", "1.0", "2024-01-01T00:00:00Z");
    const other = await world.push("tools", "2", "2024-01-01T00:00:00Z");
    await world.createRepo("svc", {
      Dockerfile: dockerfile(world.image("base"), "1.0", old),
      "build/Dockerfile": `FROM ${world.image("base")}:1.0\nRUN true\n`,
    });
    await world.createRepo("docs", { "README.md": "hi\n" });
    await world.repin.runCycle();

    const base = { registry: world.registry.host, repository: "base", tag: "1.0" };
    const tools = { registry: world.registry.host, repository: "tools", tag: "2" };
    const svc = { installationId: world.installationId, owner: OWNER, name: "svc" };
    expect(await world.repin.store.usages.usersOf(base)).toEqual([
      { ...svc, paths: ["Dockerfile", "build/Dockerfile"] },
    ]);
    expect(await world.repin.store.usages.watched()).toEqual([
      { ...base, digest: old, recordedAt: expect.any(Number) },
    ]);

    const after = await world.sim.commitFiles(OWNER, "svc", "main", {
      "build/Dockerfile": dockerfile(world.image("tools"), "2", other),
    });
    const response = await world.deliver(
      "push",
      pushPayload(world.installationId, "svc", "main", ["build/Dockerfile"], after),
    );
    expect(response.status).toBe(200);
    expect(await world.repin.store.usages.usersOf(base)).toEqual([{ ...svc, paths: ["Dockerfile"] }]);
    expect(await world.repin.store.usages.usersOf(tools)).toEqual([{ ...svc, paths: ["build/Dockerfile"] }]);
  });
});
