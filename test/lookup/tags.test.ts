import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRepinConfig } from "../../src/config/index.js";
import { lookUp, planOptionsFrom } from "../../src/lookup/index.js";
import { describeReason, planUpdates, scanFiles } from "../../src/plan/index.js";
import { createRegistry, memoizeRegistry, staticKeychain } from "../../src/registry/index.js";
import type { UpdateTagsPolicy } from "../../src/versioning/types.js";
import {
  pushImage,
  startFaultProxy,
  startRegistry,
  type FaultProxy,
  type TestRegistry,
} from "../support/registry/index.js";

/**
 * Tag updates through lookUp against a Basic-auth registry (SPEC 3a): many tags over several
 * pages, and the same registry refusing to list tags, where the digest re-pin must still happen.
 */

let registry: TestRegistry;
let proxy: FaultProxy;
const versions = Array.from({ length: 130 }, (_, i) => `2.${Math.floor(i / 40)}.${i % 40}`);

beforeAll(async () => {
  registry = await startRegistry({ auth: "basic" });
  proxy = await startFaultProxy(registry.url, { paginateTags: true });
  for (const [i, tag] of versions.entries())
    await pushImage(registry, "lib/app", tag, {
      created: `2026-01-01T00:${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}Z`,
    });
});
afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});

async function run(content: string, updateTags: UpdateTagsPolicy) {
  const parsed = parseRepinConfig("");
  if (!parsed.ok) throw new Error("default config");
  const options = planOptionsFrom(parsed.config, { updateTags });
  const client = memoizeRegistry(
    createRegistry({
      keychain: staticKeychain({ [proxy.host]: { kind: "basic", ...registry.credentials! } }),
      tagPageSize: 50,
      backoffBaseMs: 1,
    }),
  );
  const files = scanFiles([{ path: "Dockerfile", content }]);
  return planUpdates(files, await lookUp(files, client, options), options);
}

async function digestOf(tag: string): Promise<string> {
  const response = await fetch(`${registry.url}/v2/lib/app/manifests/${tag}`, {
    method: "HEAD",
    headers: {
      accept: "application/vnd.oci.image.manifest.v1+json",
      authorization: registry.pushAuthorization("lib/app") ?? "",
    },
  });
  return response.headers.get("docker-content-digest") ?? "";
}

describe("tag updates against a Basic-auth registry", () => {
  it("reads every page of the tag list and takes the newest patch", async () => {
    const old = await digestOf("2.1.3");
    const before = proxy.requests().length;
    const plan = await run(`FROM ${proxy.host}/lib/app:2.1.3@${old}\nFROM ${proxy.host}/lib/app:2.0.1\n`, "patch");
    const pages = proxy
      .requests()
      .slice(before)
      .filter((request) => request.path.includes("/tags/list") && request.status === 200);
    expect(pages).toHaveLength(3);
    expect(plan.updates).toMatchObject([
      { line: 1, action: "bump", tag: "2.1.3", newTag: "2.1.39", newDigest: await digestOf("2.1.39") },
      { line: 2, action: "bump", tag: "2.0.1", newTag: "2.0.39", newDigest: null },
    ]);
    expect(plan.changes[0]?.after).toBe(
      `FROM ${proxy.host}/lib/app:2.1.39@${await digestOf("2.1.39")}\nFROM ${proxy.host}/lib/app:2.0.39\n`,
    );
  });

  it("follows the major policy across minors", async () => {
    const plan = await run(`FROM ${proxy.host}/lib/app:2.0.1\n`, "major");
    expect(plan.updates[0]).toMatchObject({ newTag: "2.3.9" });
  });

  it("still re-pins the digest when the registry refuses to list tags, and says why", async () => {
    const stale = `sha256:${"1".repeat(64)}`;
    proxy.add({ path: "/tags/list", times: Infinity, action: { type: "status", status: 403 } });
    try {
      const current = await digestOf("2.1.3");
      const plan = await run(`FROM ${proxy.host}/lib/app:2.1.3@${stale}\n`, "patch");
      expect(plan.updates[0]).toMatchObject({ action: "bump", newTag: null, newDigest: current });
      const reason = plan.updates[0]?.reason ?? null;
      expect(reason && describeReason(reason)).toMatch(/^tag update skipped: .*403/);
      // Typed: the code and the registry's own account (which host, and that retrying will not help).
      expect(reason).toMatchObject({
        code: "tag-list-failed",
        registry: { kind: "unauthorized", status: 403, host: proxy.host, retryable: false },
      });
      expect(plan.changes[0]?.after).toBe(`FROM ${proxy.host}/lib/app:2.1.3@${current}\n`);
    } finally {
      proxy.clear();
    }
  });
});
