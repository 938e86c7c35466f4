import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  anonymousKeychain,
  createRegistry,
  dockerConfigKeychain,
  RegistryError,
  staticKeychain,
} from "../../src/registry/index.js";
import { pushImage, startRegistry, type TestRegistry } from "../support/registry/index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "repin-auth-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fast = { backoffBaseMs: 1 };

describe("a registry with Basic auth", () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: "basic" });
    await pushImage(registry, "private/app", "1.0");
  });
  afterAll(() => registry?.stop());

  it("works with credentials from config.json `auths`", async () => {
    const configDir = await mkdtemp(join(dir, "auths-"));
    const { username, password } = registry.credentials!;
    const auth = Buffer.from(`${username}:${password}`).toString("base64");
    await writeFile(
      join(configDir, "config.json"),
      JSON.stringify({ auths: { [`http://${registry.host}`]: { auth } } }),
    );
    const client = createRegistry({ ...fast, keychain: dockerConfigKeychain({ env: { DOCKER_CONFIG: configDir } }) });
    const resolved = await client.resolveTag({ registry: registry.host, repository: "private/app" }, "1.0");
    expect(resolved.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
  });

  it("works with credentials from a `credHelpers` program found on PATH", async () => {
    const configDir = await mkdtemp(join(dir, "helper-"));
    const calls = join(configDir, "calls.log");
    const { username, password } = registry.credentials!;
    const script = [
      "#!/bin/sh",
      "read server",
      `echo "$1 $server" >> '${calls}'`,
      `if [ "$server" = "${registry.host}" ]; then`,
      `  printf '{"ServerURL":"%s","Username":"${username}","Secret":"${password}"}' "$server"`,
      "else echo 'credentials not found in native keychain'; exit 1; fi",
    ].join("\n");
    await writeFile(join(configDir, "docker-credential-test"), script);
    await chmod(join(configDir, "docker-credential-test"), 0o755);
    await writeFile(join(configDir, "config.json"), JSON.stringify({ credHelpers: { [registry.host]: "test" } }));
    const env = { DOCKER_CONFIG: configDir, PATH: `${configDir}${delimiter}${process.env.PATH ?? ""}` };
    const client = createRegistry({ ...fast, keychain: dockerConfigKeychain({ env }) });
    const repo = { registry: registry.host, repository: "private/app" };
    await client.resolveTag(repo, "1.0");
    await client.resolveTag(repo, "1.0");
    // One helper run serves both requests; the helper got `get` and the server on stdin.
    expect((await readFile(calls, "utf8")).trim().split("\n")).toEqual([`get ${registry.host}`]);
  });

  it("refuses without credentials, and says so without leaking anything", async () => {
    const err = await createRegistry({ ...fast, keychain: anonymousKeychain })
      .resolveTag({ registry: registry.host, repository: "private/app" }, "1.0")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).kind).toBe("unauthorized");
    expect((err as RegistryError).message).toContain(
      `401 unauthorized from ${registry.host} for manifest private/app:1.0`,
    );
  });

  it("refuses wrong credentials", async () => {
    const keychain = staticKeychain({
      [registry.host]: { kind: "basic", username: "repin", password: "wrong-password" },
    });
    const err = (await createRegistry({ ...fast, keychain })
      .resolveTag({ registry: registry.host, repository: "private/app" }, "1.0")
      .catch((e: unknown) => e)) as RegistryError;
    expect(err.kind).toBe("unauthorized");
    expect(err.message).not.toContain("wrong-password");
  });
});

describe("a registry with token auth", () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: "token" });
    await pushImage(registry, "tok/a", "1.0");
    await pushImage(registry, "tok/b", "1.0");
  });
  afterAll(() => registry?.stop());

  const keychainFor = (r: TestRegistry) => staticKeychain({ [r.host]: { kind: "basic", ...r.credentials! } });

  it("refuses anonymous clients", async () => {
    const err = (await createRegistry({ ...fast, keychain: anonymousKeychain })
      .resolveTag({ registry: registry.host, repository: "tok/a" }, "1.0")
      .catch((e: unknown) => e)) as RegistryError;
    expect(err.kind).toBe("unauthorized");
    expect(err.message).toMatch(/^401 unauthorized from 127\.0\.0\.1:\d+ for a token for repository:tok\/a:pull/);
  });

  it("gets a token with credentials and reuses it per repository scope", async () => {
    const before = registry.tokenRequests();
    await registry.settle();
    const logBefore = registry.requests().length;
    const client = createRegistry({ ...fast, keychain: keychainFor(registry) });
    const a = { registry: registry.host, repository: "tok/a" };
    const digest = (await client.resolveTag(a, "1.0")).digest;
    const manifest = await client.getManifest(a, digest);
    expect(manifest.kind).toBe("image");
    await client.resolveTag(a, "1.0");
    expect(registry.tokenRequests() - before).toBe(1);
    await client.resolveTag({ registry: registry.host, repository: "tok/b" }, "1.0");
    expect(registry.tokenRequests() - before).toBe(2);
    await registry.settle();
    // Only the very first request met a 401: later ones carried their token up front.
    const refused = registry
      .requests()
      .slice(logBefore)
      .filter((r) => r.status === 401);
    expect(refused).toHaveLength(1);
  });
});

describe("token expiry", () => {
  let registry: TestRegistry;
  beforeAll(async () => {
    registry = await startRegistry({ auth: "token", allowAnonymous: true, tokenExpiresIn: 1 });
    await pushImage(registry, "pub/app", "1.0");
  });
  afterAll(() => registry?.stop());

  it("lets anonymous clients pull when the token server allows it, and fetches a new token once expires_in has passed", async () => {
    const client = createRegistry({ ...fast, keychain: anonymousKeychain });
    const repo = { registry: registry.host, repository: "pub/app" };
    await client.resolveTag(repo, "1.0");
    await client.resolveTag(repo, "1.0");
    expect(registry.tokenRequests()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await client.resolveTag(repo, "1.0");
    expect(registry.tokenRequests()).toBe(2);
  });
});
