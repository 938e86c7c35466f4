import { describe, expect, it } from "vitest";
import { parseMarker } from "../../src/proposals/index.js";
import { dockerfile, OWNER, useWorld } from "./support/world.js";

const world = useWorld();

const open = (repo: string) => world.sim.pulls(OWNER, repo).filter((pull) => pull.state === "open");

/** Requests for manifests by tag (not by digest) in the registry's access log since `from`. */
async function tagManifestRequests(from: number) {
  await world.registry.settle();
  return world.registry
    .requests()
    .slice(from)
    .filter((request) => request.method !== "PUT" && /\/manifests\/(?!sha256:)/.test(request.path));
}
async function logLength() {
  await world.registry.settle();
  return world.registry.requests().length;
}

describe("features", () => {
  it("asks the registry once per unique image per cycle across three repositories sharing two images", async () => {
    const a = world.image("alpha");
    const b = world.image("beta");
    const a1 = await world.push("alpha", "latest", "2024-01-01T00:00:00Z");
    const b1 = await world.push("beta", "latest", "2024-01-01T00:00:00Z");
    await world.createRepo("one", {
      Dockerfile: dockerfile(a, "latest", a1),
      "x.Dockerfile": dockerfile(b, "latest", b1),
    });
    await world.createRepo("two", { Dockerfile: dockerfile(a, "latest", a1) });
    await world.createRepo("three", { Dockerfile: dockerfile(b, "latest", b1) });
    await world.push("alpha", "latest", "2024-02-01T00:00:00Z");
    await world.push("beta", "latest", "2024-02-01T00:00:00Z");

    let mark = await logLength();
    await world.repin.runCycle();
    expect(await tagManifestRequests(mark)).toHaveLength(2);
    expect(open("one")).toHaveLength(2);
    expect(open("two")).toHaveLength(1);
    expect(open("three")).toHaveLength(1);

    mark = await logLength();
    world.sim.resetLog();
    await world.repin.runCycle();
    expect(await tagManifestRequests(mark)).toHaveLength(2);
    expect(world.sim.writes()).toBe(0);
    // An unchanged repository costs at most one rate-limited request (a 304 costs none).
    const perRepo = world.sim.requests.filter((request) => request.path.startsWith("/repos/") && request.rateLimited);
    expect(perRepo).toHaveLength(0);
  });

  it("opens a tag-update PR and moves it to a newer patch", async () => {
    const image = world.image("py");
    const old = await world.push("py", "3.12.7", "2024-01-01T00:00:00Z");
    await world.createRepo("svc", { Dockerfile: dockerfile(image, "3.12.7", old) });
    const p8 = await world.push("py", "3.12.8", "2024-02-01T00:00:00Z");
    await world.repin.runCycle();
    const [pull] = open("svc");
    expect(pull?.title).toBe(`Bump ${image} from 3.12.7 to 3.12.8`);
    expect(pull?.body).toContain("`3.12.7` → `3.12.8`");
    expect(await world.sim.readFile(OWNER, "svc", pull!.pull!.headRef, "Dockerfile")).toBe(
      dockerfile(image, "3.12.8", p8),
    );

    const p9 = await world.push("py", "3.12.9", "2024-03-01T00:00:00Z");
    await world.repin.runCycle();
    const now = world.sim.pulls(OWNER, "svc");
    expect(now).toHaveLength(1);
    expect(now[0]!.title).toBe(`Bump ${image} from 3.12.7 to 3.12.9`);
    expect(parseMarker(now[0]!.body)?.newTag).toBe("3.12.9");
    expect(await world.sim.readFile(OWNER, "svc", now[0]!.pull!.headRef, "Dockerfile")).toBe(
      dockerfile(image, "3.12.9", p9),
    );
  });

  it("sends repository_dispatch when an unpinned floating tag moves, once per move", async () => {
    const image = world.image("base");
    await world.push("base", "latest", "2024-01-01T00:00:00Z");
    await world.createRepo("svc", {
      Dockerfile: `FROM ${image}:latest\n`,
      "tools/Dockerfile": `FROM ${image}:latest AS build\n`,
      ".github/repin.yml": "rebuild:\n  dispatch: true\n",
    });
    await world.repin.runCycle();
    expect(world.sim.dispatches()).toHaveLength(0);

    const moved = await world.push("base", "latest", "2024-02-01T00:00:00Z");
    await world.repin.runCycle();
    await world.repin.runCycle();
    const sent = world.sim.dispatches();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      owner: OWNER,
      repo: "svc",
      eventType: "repin-base-updated",
      clientPayload: {
        image: `${image}:latest`,
        tag: "latest",
        digest: moved,
        files: ["Dockerfile", "tools/Dockerfile"],
      },
    });
    expect(open("svc")).toHaveLength(0);
  });

  it("groups everything in one PR with labels, assignees and reviewers, within prConcurrentLimit", async () => {
    const a = world.image("alpha");
    const b = world.image("beta");
    const a1 = await world.push("alpha", "latest", "2024-01-01T00:00:00Z");
    const b1 = await world.push("beta", "latest", "2024-01-01T00:00:00Z");
    const config = "group: all\nlabels: [dependencies]\nassignees: [dev]\nreviewers: [rev]\n";
    await world.createRepo("grouped", {
      Dockerfile: dockerfile(a, "latest", a1) + dockerfile(b, "latest", b1),
      ".github/repin.yml": config,
    });
    for (const user of ["dev", "rev"]) world.sim.setPermission(OWNER, "grouped", user, "write");
    await world.createRepo("limited", {
      Dockerfile: dockerfile(a, "latest", a1),
      "b.Dockerfile": dockerfile(b, "latest", b1),
      ".github/repin.yml": "prConcurrentLimit: 1\n",
    });
    await world.push("alpha", "latest", "2024-02-01T00:00:00Z");
    await world.push("beta", "latest", "2024-02-01T00:00:00Z");
    await world.repin.runCycle();

    const grouped = open("grouped");
    expect(grouped).toHaveLength(1);
    expect(grouped[0]!.title).toBe("Bump 2 base images");
    expect(grouped[0]!.pull!.headRef).toBe("repin/all");
    expect(grouped[0]!.labels).toEqual(["dependencies"]);
    expect(grouped[0]!.assignees).toEqual(["dev"]);
    expect(grouped[0]!.pull!.requestedReviewers).toEqual(["rev"]);
    expect(open("limited")).toHaveLength(1);

    world.sim.resetLog();
    await world.repin.runCycle();
    expect(world.sim.writes()).toBe(0);
  });
});
