import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createAppRegistry, credentialScopeWarning, RegistryError, staticKeychain } from "../../src/registry/index.js";
import {
  pushImage,
  startFaultProxy,
  startRegistry,
  type FaultProxy,
  type TestRegistry,
} from "../support/registry/index.js";

// The operator's credentials serve only the accounts named (SPEC 10, issue 10 item 19).
let registry: TestRegistry;
let proxy: FaultProxy;

beforeAll(async () => {
  registry = await startRegistry({ auth: "basic" });
  await pushImage(registry, "internal/payments", "1.0");
  proxy = await startFaultProxy(registry.url);
});
afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
});

const views = (credentialAccounts: readonly string[]) =>
  createAppRegistry({
    keychain: staticKeychain({ [proxy.host]: { kind: "basic", ...registry.credentials! } }),
    credentialAccounts,
    privateRegistries: [proxy.host],
    retries: 0,
  });
const payments = () => ({ registry: proxy.host, repository: "internal/payments" });

it("an account not named gets no credential, even after a named one got the answer in the same cycle", async () => {
  const cycle = views(["Acme"])();
  const found = await cycle.forAccount("acme").resolveTag(payments(), "1.0");
  expect(found.digest).toMatch(/^sha256:/);
  const sentBefore = proxy.requests().length;
  const refused = await cycle
    .forAccount("mallory")
    .resolveTag(payments(), "1.0")
    .catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(RegistryError);
  expect((refused as RegistryError).kind).toBe("unauthorized");
  const forMallory = proxy.requests().slice(sentBefore);
  expect(forMallory.length).toBeGreaterThan(0);
  expect(forMallory.filter((request) => request.authorization)).toEqual([]);
});

it("unset means none; * means every account", async () => {
  const none = await views([])()
    .forAccount("acme")
    .resolveTag(payments(), "1.0")
    .catch((e: unknown) => e);
  expect((none as RegistryError).kind).toBe("unauthorized");
  const all = await views(["*"])().forAccount("anyone").resolveTag(payments(), "1.0");
  expect(all.digest).toMatch(/^sha256:/);
});

it("warns at start when Docker's config.json has credentials and no account is named", async () => {
  const dir = await mkdtemp(join(tmpdir(), "repin-docker-config-"));
  try {
    expect(credentialScopeWarning({ DOCKER_CONFIG: dir })).toBeNull();
    await writeFile(join(dir, "config.json"), JSON.stringify({ auths: { "ghcr.io": { auth: "dTpw" } } }));
    expect(credentialScopeWarning({ DOCKER_CONFIG: dir })).toContain("REPIN_CREDENTIAL_ACCOUNTS is not set");
    expect(credentialScopeWarning({ DOCKER_CONFIG: dir, REPIN_CREDENTIAL_ACCOUNTS: "acme" })).toBeNull();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
