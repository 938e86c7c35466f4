import { describe, expect, it } from "vitest";
import { dockerfile, OWNER, useWorld } from "./support/world.js";

// Registry push events end to end: the real docker-registry notifies the App's endpoint, the
// watcher re-resolves the tag, the queue rescans its users, PRs appear in the GitHub simulator.
const TOKEN = "push-events-token";
const world = useWorld({
  registryEvents: { token: TOKEN },
  repin: () => ({ upstream: { watchIntervalMs: null, feedIntervalMs: null } }),
});

const V2 = "application/vnd.docker.distribution.events.v2+json";
const prs = (repo: string) => world.sim.pulls(OWNER, repo).length;

async function until(condition: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Two repositories use base:1, one uses tools:2; the first cycle records who uses what. */
async function usersOfTwoImages() {
  const base = await world.push("base", "1", "2024-01-01T00:00:00Z");
  const tools = await world.push("tools", "2", "2024-01-01T00:00:00Z");
  await world.createRepo("api", { Dockerfile: dockerfile(world.image("base"), "1", base) });
  await world.createRepo("web", { Dockerfile: dockerfile(world.image("base"), "1", base) });
  await world.createRepo("ops", { Dockerfile: dockerfile(world.image("tools"), "2", tools) });
  await world.repin.runCycle();
}

/** A v2 envelope (distribution 3's shape) with `count` pushes of `repository:tag` on `host`. */
function envelope(host: string, repository: string, tag: string, count = 1): string {
  const event = {
    id: "0b4f0c8e-7a51-4b5d-9b62-0f6d0c1e8a11",
    timestamp: new Date().toISOString(),
    action: "push",
    target: {
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      digest: `sha256:${"1".repeat(64)}`,
      repository,
      tag,
      url: `http://${host}/v2/${repository}/manifests/sha256:${"1".repeat(64)}`,
    },
    request: { id: "r1", addr: "127.0.0.1:1", host, method: "PUT", useragent: "bench" },
    actor: {},
    source: { addr: "vm:5000", instanceID: "i1" },
  };
  return JSON.stringify({ events: Array.from({ length: count }, () => event) });
}

const post = (body: string, authorization = `Bearer ${TOKEN}`) =>
  fetch(world.eventsUrl, { method: "POST", headers: { "content-type": V2, authorization }, body });

const registryRequests = async () => {
  await world.registry.settle();
  return world.registry.requests().filter((r) => r.method === "GET" || r.method === "HEAD");
};

describe("registry push events → PRs", () => {
  it("a push to the real registry (v1 notification) opens PRs in exactly the repositories using that tag", async () => {
    await usersOfTwoImages();
    const fresh = await world.push("base", "1", "2024-02-01T00:00:00Z");
    await until(() => prs("api") + prs("web") === 2);
    await world.repin.upstream.queue.idle();
    expect([prs("api"), prs("web"), prs("ops")]).toEqual([1, 1, 0]);
    expect(world.sim.pulls(OWNER, "api")[0]?.title).toBe(
      `Bump ${world.image("base")}:1 digest to ${fresh.slice(7, 19)}`,
    );
  });

  it("a v2 envelope posted by hand is re-resolved, not trusted: its digest is not the one written", async () => {
    await usersOfTwoImages();
    const fresh = await world.push("tools", "2", "2024-02-01T00:00:00Z");
    expect((await post(envelope(world.registry.host, "tools", "2"))).status).toBe(202);
    await until(() => prs("ops") === 1);
    const pull = world.sim.pulls(OWNER, "ops")[0]!;
    expect(pull.title).toContain(fresh.slice(7, 19));
    expect(pull.body).not.toContain("1".repeat(64));
  });

  it("a flood of events for one tag is one rescan per repository", async () => {
    await usersOfTwoImages();
    world.sim.resetLog();
    await world.push("base", "1", "2024-02-01T00:00:00Z");
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => post(envelope(world.registry.host, "base", "1", 200))),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(202));
    await until(() => prs("api") + prs("web") === 2);
    // Let any late hint be checked and any late job run before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await world.repin.upstream.watcher.settled();
    await world.repin.upstream.queue.idle();
    // A rescan starts with the conditional read of the default branch's ref.
    const rescans = (repo: string) =>
      world.sim.requests.filter(
        (r) =>
          r.method === "GET" &&
          r.path.startsWith(`/repos/${OWNER}/${repo}/git/ref/`) &&
          /heads(\/|%2F)main$/.test(r.path),
      ).length;
    expect([rescans("api"), rescans("web"), rescans("ops")]).toEqual([1, 1, 0]);
    expect([prs("api"), prs("web"), prs("ops")]).toEqual([1, 1, 0]);
  });

  it("events naming an unknown host, repository or tag cost no registry request and queue nothing", async () => {
    await usersOfTwoImages();
    const before = (await registryRequests()).length;
    world.sim.resetLog();
    for (const body of [
      envelope("registry.example.com", "base", "1"),
      envelope(world.registry.host, "unknown", "1"),
      envelope(world.registry.host, "base", "2"),
    ])
      expect((await post(body)).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await world.repin.upstream.watcher.settled();
    await world.repin.upstream.queue.idle();
    expect((await registryRequests()).length).toBe(before);
    expect(world.sim.writes()).toBe(0);
  });

  it("forged events get 401: nothing queued, no registry request, no PR", async () => {
    await usersOfTwoImages();
    await world.push("base", "1", "2024-02-01T00:00:00Z");
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The real notification was answered: let its work finish, then count from here.
    await world.repin.upstream.watcher.settled();
    await world.repin.upstream.queue.idle();
    const before = (await registryRequests()).length;
    const pullsBefore = prs("api") + prs("web");
    for (const authorization of ["", "Bearer nope", `Bearer ${TOKEN}x`, TOKEN])
      expect((await post(envelope(world.registry.host, "tools", "2"), authorization)).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await registryRequests()).length).toBe(before);
    expect(prs("api") + prs("web")).toBe(pullsBefore);
    expect(prs("ops")).toBe(0);
  });

  it("a malformed envelope gets 400 and queues nothing", async () => {
    await usersOfTwoImages();
    const before = (await registryRequests()).length;
    expect((await post('{"events":[1]}')).status).toBe(400);
    expect((await post("<xml/>")).status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await registryRequests()).length).toBe(before);
  });
});
