import { describe, expect, it } from "vitest";
import type { TagHint } from "../../src/registry-events/index.js";
import { packagePublished, packageUpdated } from "./support/packages.js";
import { OWNER, useWorld } from "./support/world.js";

const TOKEN = "registry-events-token-for-tests";

interface Recorded {
  readonly tag: TagHint;
  readonly seenAt: number;
}
const recorded: Recorded[] = [];
const world = useWorld({
  registryEvents: { token: TOKEN },
  repin: () => {
    recorded.length = 0;
    return { hint: (tag: TagHint, seenAt: number) => void recorded.push({ tag, seenAt }) };
  },
});

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("registry push events from the real docker-registry", () => {
  it("a pushed tag reaches hint once, through the App's endpoint, with the registry's host", async () => {
    const before = Date.now();
    await world.push("team/app", "1.0", "v1");
    await until(() => recorded.length > 0);
    // Blob pushes came too, and gave nothing; wait for the registry's queue to drain before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(recorded.map((r) => r.tag)).toEqual([{ registry: world.registry.host, repository: "team/app", tag: "1.0" }]);
    expect(recorded[0]!.seenAt).toBeGreaterThanOrEqual(before);
  });

  it("a forged event gets 401, queues nothing and costs no registry request", async () => {
    await world.registry.settle();
    const requests = world.registry.requests().length;
    const body = JSON.stringify({
      events: [
        {
          action: "push",
          target: {
            mediaType: "application/vnd.oci.image.manifest.v1+json",
            repository: "team/app",
            tag: "1.0",
            url: `${world.registry.url}/v2/team/app/manifests/sha256:${"0".repeat(64)}`,
          },
          request: { host: world.registry.host },
        },
      ],
    });
    for (const authorization of [undefined, "Bearer wrong", `bearer ${TOKEN}x`]) {
      const response = await fetch(world.eventsUrl, {
        method: "POST",
        headers: {
          "content-type": "application/vnd.docker.distribution.events.v2+json",
          ...(authorization && { authorization }),
        },
        body,
      });
      expect(response.status).toBe(401);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    await world.registry.settle();
    expect(recorded).toEqual([]);
    expect(world.registry.requests().length).toBe(requests);
  });
});

describe("registry_package webhooks (GitHub Packages)", () => {
  const digest = `sha256:${"a".repeat(64)}`;

  it.each([
    ["published", packagePublished],
    ["updated", packageUpdated],
  ])("%s for a container version → a hint for ghcr.io/<owner>/<package>:<tag>", async (_, build) => {
    const payload = build({
      owner: "Acme",
      name: "Base-Image",
      tag: "1.2.3",
      digest,
      installationId: world.installationId,
    });
    const response = await world.deliver("registry_package", payload as unknown as Record<string, unknown>);
    expect(response.status).toBe(200);
    expect(recorded.map((r) => r.tag)).toEqual([{ registry: "ghcr.io", repository: "acme/base-image", tag: "1.2.3" }]);
  });

  it.each([
    ["another package type", { packageType: "npm" }],
    ["a version pushed by digest (no tag)", { tag: "" }],
    ["a delivery without installation", { installationId: undefined }],
  ])("%s gives no hint", async (_, change) => {
    const spec = { owner: OWNER, name: "base", tag: "1.2.3", digest, installationId: world.installationId, ...change };
    const response = await world.deliver(
      "registry_package",
      packagePublished(spec) as unknown as Record<string, unknown>,
    );
    expect(response.status).toBe(200);
    expect(recorded).toEqual([]);
  });

  it("a delivery with a bad signature is refused and gives no hint", async () => {
    const payload = packagePublished({
      owner: OWNER,
      name: "base",
      tag: "1",
      digest,
      installationId: world.installationId,
    });
    const response = await world.deliver("registry_package", payload as unknown as Record<string, unknown>, {
      secret: "not-the-secret",
    });
    expect(response.status).toBe(400);
    expect(recorded).toEqual([]);
  });
});
