import { afterAll, beforeAll, expect, it } from "vitest";
import { anonymousKeychain, createRegistry, memoizeRegistry, RegistryError } from "../../src/registry/index.js";
import {
  pushImage,
  startRegistry,
  startSilentServer,
  type SilentServer,
  type TestRegistry,
} from "../support/registry/index.js";

// A registry that accepts connections and never answers (issue 10 item 16): within one run's
// view it costs one operation, not one per reference, and other hosts go on meanwhile.
let silent: SilentServer;
let healthy: TestRegistry;

beforeAll(async () => {
  [silent, healthy] = await Promise.all([startSilentServer(), startRegistry()]);
  await pushImage(healthy, "team/app", "1.0");
});
afterAll(async () => Promise.all([silent?.stop(), healthy?.stop()]));

const base = () => createRegistry({ keychain: anonymousKeychain, timeoutMs: 300, retries: 1, backoffBaseMs: 1 });

it("asks a silent host for one reference; its other references are retryable skips at once", async () => {
  // What one reference costs: its attempts (the first try and one retry) and the connections they open.
  await base()
    .resolveTag({ registry: silent.host, repository: "team/app" }, "1.0")
    .catch(() => undefined);
  const oneReference = silent.connections();
  const asked: string[] = [];
  const view = memoizeRegistry(
    createRegistry({
      keychain: anonymousKeychain,
      timeoutMs: 300,
      retries: 1,
      backoffBaseMs: 1,
      onRequest: (info) => asked.push(info.url),
    }),
  );
  const started = Date.now();
  const outcomes = await Promise.all(
    ["1.0", "2.0", "3.0", "4.0"].map((tag) =>
      view.resolveTag({ registry: silent.host, repository: "team/app" }, tag).catch((e: unknown) => e),
    ),
  );
  const elapsed = Date.now() - started;
  // One reference's worth, not four.
  expect(asked).toHaveLength(2);
  expect(silent.connections() - oneReference).toBeLessThanOrEqual(oneReference);
  for (const outcome of outcomes) {
    expect(outcome).toBeInstanceOf(RegistryError);
    expect((outcome as RegistryError).kind).toBe("unavailable");
    expect((outcome as RegistryError).retryable).toBe(true);
  }
  const later = outcomes.slice(1).map((outcome) => (outcome as RegistryError).message);
  for (const message of later) expect(message).toContain(`${silent.host} was not asked again in this run`);
  // Two 300 ms timeouts and a backoff, with room for a slow machine; four serial references would take 2.4 s.
  expect(elapsed).toBeLessThan(2000);
  // The same host's tag list is not asked either.
  const list = await view.listTags({ registry: silent.host, repository: "other/app" }).catch((e: unknown) => e);
  expect((list as RegistryError).message).toContain("was not asked again");
  expect(asked).toHaveLength(2);
});

it("a healthy host is asked alongside, and the next run asks the silent host again", async () => {
  const client = base();
  const view = memoizeRegistry(client);
  const [good, bad] = await Promise.all([
    view.resolveTag({ registry: healthy.host, repository: "team/app" }, "1.0"),
    view.resolveTag({ registry: silent.host, repository: "team/app" }, "1.0").catch((e: unknown) => e),
  ]);
  expect(good.digest).toMatch(/^sha256:/);
  expect(bad).toBeInstanceOf(RegistryError);
  const before = silent.connections();
  await memoizeRegistry(client)
    .resolveTag({ registry: silent.host, repository: "team/app" }, "1.0")
    .catch(() => undefined);
  expect(silent.connections()).toBeGreaterThan(before);
});

it("a host that answered is asked in parallel; an HTTP error does not mark it down", async () => {
  const view = memoizeRegistry(base());
  const missing = await view
    .resolveTag({ registry: healthy.host, repository: "team/app" }, "nope")
    .catch((e: unknown) => e);
  expect((missing as RegistryError).kind).toBe("not-found");
  const found = await view.resolveTag({ registry: healthy.host, repository: "team/app" }, "1.0");
  expect(found.digest).toMatch(/^sha256:/);
});
