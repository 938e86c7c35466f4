import type { LookupAddress } from "node:dns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkedLookup } from "../../src/registry/address.js";
import {
  createRegistry,
  isInternalAddress,
  RegistryError,
  staticKeychain,
  type RepositoryName,
} from "../../src/registry/index.js";
import {
  pushImage,
  startRegistry,
  startScriptedServer,
  type ScriptedServer,
  type TestRegistry,
} from "../support/registry/index.js";

// The App's address guard (SPEC 10). Names resolve through a lookup the test gives, so a
// refusal of 10.0.0.1 or 169.254.169.254 is checked without any connection leaving loopback.

describe("isInternalAddress", () => {
  it.each([
    "10.0.0.1",
    "127.0.0.1",
    "127.9.9.9",
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "100.64.0.1",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fd00::1",
    "fc00::1",
    "fe80::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.1.2.3",
    "64:ff9b::a9fe:a9fe",
    "2002:a00:1::1",
    "[::1]",
    "fe80::1%eth0",
    "not an address",
  ])("%s is internal", (address) => {
    expect(isInternalAddress(address)).toBe(true);
  });

  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::1"])(
    "%s is public",
    (address) => {
      expect(isInternalAddress(address)).toBe(false);
    },
  );
});

/** A lookup that answers from a table and records what it was asked; it never asks DNS. */
function fakeDns(table: Record<string, readonly string[]>) {
  const asked: string[] = [];
  const lookup = ((hostname: string, _options: unknown, callback: (e: Error | null, a: LookupAddress[]) => void) => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) return callback(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }), []);
    callback(
      null,
      addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })),
    );
  }) as unknown as typeof import("node:dns").lookup;
  return { lookup, asked };
}

describe("checkedLookup", () => {
  const answer = (resolve: ReturnType<typeof fakeDns>["lookup"], all: boolean) =>
    new Promise<{ error: Error | null; address: unknown }>((done) =>
      checkedLookup(resolve)("host.test", { all }, (error, address) => done({ error, address })),
    );

  it("passes public addresses on, in both callback shapes", async () => {
    const { lookup } = fakeDns({ "host.test": ["93.184.216.34", "2606:4700::1111"] });
    expect(await answer(lookup, true)).toEqual({
      error: null,
      address: [
        { address: "93.184.216.34", family: 4 },
        { address: "2606:4700::1111", family: 6 },
      ],
    });
    expect((await answer(lookup, false)).address).toBe("93.184.216.34");
  });

  it("refuses a name with any internal address among its answers", async () => {
    const { lookup } = fakeDns({ "host.test": ["93.184.216.34", "10.0.0.1"] });
    const { error } = await answer(lookup, true);
    expect(error?.name).toBe("InternalAddressError");
    expect(error?.message).toContain("10.0.0.1");
  });
});

const repo = (registry: string, repository = "team/app"): RepositoryName => ({ registry, repository });

async function refusal(work: Promise<unknown>): Promise<RegistryError> {
  const error = await work.then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

describe("a registry client with the App's address guard", () => {
  let listed: TestRegistry;
  let unlisted: ScriptedServer;
  let redirecting: ScriptedServer;
  let challenging: ScriptedServer;
  beforeAll(async () => {
    listed = await startRegistry();
    await pushImage(listed, "team/app", "1.0");
    unlisted = await startScriptedServer((_req, res) => res.writeHead(404).end());
    redirecting = await startScriptedServer((_req, res) =>
      res.writeHead(307, { location: "https://cache.test/v2/team/app/manifests/1.0" }).end(),
    );
    challenging = await startScriptedServer((_req, res) =>
      res.writeHead(401, { "www-authenticate": 'Bearer realm="https://metadata.test/token",service="x"' }).end(),
    );
  });
  afterAll(async () => {
    await Promise.all([listed?.stop(), unlisted?.stop(), redirecting?.stop(), challenging?.stop()]);
  });

  const dns = fakeDns({
    "internal.test": ["10.0.0.1"],
    "metadata.test": ["169.254.169.254"],
    "cache.test": ["fd00::1"],
    "mapped.test": ["::ffff:127.0.0.1"],
    "zero.test": ["0.0.0.0"],
  });
  const client = () =>
    createRegistry({
      keychain: staticKeychain({}),
      retries: 0,
      timeoutMs: 2000,
      addressGuard: {
        privateRegistries: [listed.host, redirecting.host, challenging.host],
        lookup: dns.lookup,
      },
    });

  it.each(["internal.test", "metadata.test", "cache.test", "mapped.test", "zero.test"])(
    "refuses %s before connecting: its name resolves to an internal address",
    async (host) => {
      const error = await refusal(client().resolveTag(repo(host), "1.0"));
      expect(error.kind).toBe("address-refused");
      expect(error.retryable).toBe(false);
      expect(error.message).toContain("REPIN_PRIVATE_REGISTRIES");
      expect(dns.asked).toContain(host);
    },
  );

  it("refuses an unlisted loopback registry named by address, and sends it nothing", async () => {
    const error = await refusal(client().resolveTag(repo(unlisted.host), "1.0"));
    expect(error.kind).toBe("address-refused");
    const mapped = await refusal(client().resolveTag(repo(`[::ffff:127.0.0.1]:${unlisted.host.split(":")[1]}`), "1.0"));
    expect(mapped.kind).toBe("address-refused");
    expect(unlisted.requests()).toEqual([]);
  });

  it("lets a listed loopback registry through", async () => {
    const digest = await client().resolveTag(repo(listed.host), "1.0");
    expect(digest.digest).toMatch(/^sha256:/);
  });

  it("checks where a listed registry redirects to", async () => {
    const error = await refusal(client().resolveTag(repo(redirecting.host), "1.0"));
    expect(error.kind).toBe("address-refused");
    expect(error.message).toContain("cache.test");
    expect(dns.asked).toContain("cache.test");
  });

  it("checks the realm a listed registry's challenge names", async () => {
    const error = await refusal(client().resolveTag(repo(challenging.host), "1.0"));
    expect(error.kind).toBe("address-refused");
    expect(error.message).toContain("metadata.test");
    expect(dns.asked).toContain("metadata.test");
  });

  it("without the guard (the CLI), the unlisted loopback registry is asked", async () => {
    await refusal(createRegistry({ keychain: staticKeychain({}), retries: 0 }).resolveTag(repo(unlisted.host), "1.0"));
    expect(unlisted.requests().length).toBeGreaterThan(0);
  });
});
