import { afterAll, beforeAll, expect, it } from "vitest";
import { createRegistry, staticKeychain } from "../../src/registry/index.js";
import {
  pushImage,
  startFaultProxy,
  startRegistry,
  startScriptedServer,
  type FaultProxy,
  type TestRegistry,
} from "../support/registry/index.js";

// The private registry redirects its config blob to another origin (like a CDN or S3); the
// copy there is public. Credentials must not follow the redirect.
let privateRegistry: TestRegistry;
let blobStore: TestRegistry;
let front: FaultProxy;
let cdn: FaultProxy;

beforeAll(async () => {
  [privateRegistry, blobStore] = await Promise.all([startRegistry({ auth: "basic" }), startRegistry()]);
  front = await startFaultProxy(privateRegistry.url);
  cdn = await startFaultProxy(blobStore.url);
});
afterAll(async () => {
  await Promise.all([front?.stop(), cdn?.stop()]);
  await Promise.all([privateRegistry?.stop(), blobStore?.stop()]);
});

it("follows a blob redirect to another host without the Authorization header", async () => {
  const image = await pushImage(privateRegistry, "secret/app", "1.0");
  await pushImage(blobStore, "secret/app", "1.0");
  front.add({
    method: "GET",
    path: "/blobs/",
    action: { type: "redirect", location: `${cdn.url}/v2/secret/app/blobs/${image.configDigest}` },
  });
  const keychain = staticKeychain({ [front.host]: { kind: "basic", ...privateRegistry.credentials! } });
  const manifest = await createRegistry({ keychain, backoffBaseMs: 1 }).getManifest(
    { registry: front.host, repository: "secret/app" },
    image.digest,
  );
  expect(manifest).toMatchObject({ kind: "image", platform: { os: "linux", architecture: "amd64" } });
  const redirected = front.requests().find((r) => r.fault === "redirect");
  expect(redirected?.authorization).toBe(true);
  expect(cdn.requests().map((r) => [r.path, r.authorization])).toEqual([
    [`/v2/secret/app/blobs/${image.configDigest}`, false],
  ]);
});

it("takes no challenge from the host a redirect went to: origin credentials stay home, its token never comes back", async () => {
  const image = await pushImage(privateRegistry, "secret/other", "1.0");
  // The redirect target asks for a Bearer token from its own realm, and hands one out to anyone.
  const target = await startScriptedServer((req, res, server) => {
    if (req.url?.startsWith("/token")) {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ token: "token-from-the-redirect-target" }));
    }
    res.writeHead(401, { "www-authenticate": `Bearer realm="${server.url}/token",service="elsewhere"` });
    res.end();
  });
  try {
    front.add({
      method: "GET",
      path: "/blobs/",
      action: { type: "redirect", location: `${target.url}/v2/secret/other/blobs/${image.configDigest}` },
    });
    const keychain = staticKeychain({ [front.host]: { kind: "basic", ...privateRegistry.credentials! } });
    const client = createRegistry({ keychain, backoffBaseMs: 1 });
    const repo = { registry: front.host, repository: "secret/other" };
    const before = front.requests().length;

    await expect(client.getManifest(repo, image.digest)).rejects.toMatchObject({ kind: "unauthorized" });
    // The origin still works with its own challenge afterwards.
    expect((await client.resolveTag(repo, "1.0")).digest).toBe(image.digest);

    expect(target.requests().map((r) => [r.path.split("?")[0], r.authorization])).toEqual([
      [`/v2/secret/other/blobs/${image.configDigest}`, null],
    ]);
    const originSchemes = front
      .requests()
      .slice(before)
      .map((r) => r.authScheme);
    expect(originSchemes).not.toContain("Bearer");
    expect(originSchemes.at(-1)).toBe("Basic");
  } finally {
    await target.stop();
  }
});
