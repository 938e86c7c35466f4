/**
 * Setup the GitHub and memory benches share: the bench App's key pair, and repin loaded into a
 * Probot the way production runs it, minus throttling and advisory feeds. Probot and repin are
 * imported only when `loadRepin` runs, so the memory bench can take its baseline before.
 */
import { generateKeyPairSync } from "node:crypto";
import type { Repin, RepinOptions } from "../src/app/index.js";

export const APP_ID = 1;

/** A fresh RSA key pair (PEM) for the App `APP_ID`. */
export function appKeyPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
}

/** Repin as the App `APP_ID` against the GitHub at `baseUrl`, with no schedule: the bench runs its cycles. */
export async function loadRepin(
  privateKey: string,
  baseUrl: string,
  extra: Pick<RepinOptions, "store"> = {},
): Promise<Repin> {
  const [
    { pino },
    { Probot, ProbotOctokit },
    { createRepin },
    { anonymousKeychain, createRegistry, memoizeRegistry },
    { createAdvisoryStore },
    { createFeedFetcher },
  ] = await Promise.all([
    import("pino"),
    import("probot"),
    import("../src/app/index.js"),
    import("../src/registry/index.js"),
    import("../src/explain/index.js"),
    import("../src/advisory-feeds/index.js"),
  ]);
  const log = pino({ level: "silent" });
  const Octokit = ProbotOctokit.defaults((instance: Record<string, unknown>) => ({
    ...instance,
    throttle: { ...(instance.throttle as object), enabled: false },
  }));
  const probot = new Probot({ appId: APP_ID, privateKey, baseUrl, Octokit, log });
  const base = createRegistry({ keychain: anonymousKeychain });
  // No advisory feeds: the benches measure GitHub and memory, not feed traffic.
  const repin = createRepin({
    schedule: null,
    // The bench's registries are on loopback: one unguarded view per run, for every account.
    registry: () => {
      const view = memoizeRegistry(base);
      return { forAccount: () => view };
    },
    advisories: createAdvisoryStore({ feeds: [], fetcher: createFeedFetcher() }),
    ...extra,
  });
  // No HTTP server in these benches: the App's endpoints (health, metrics, events) are not served.
  await probot.load(repin.app, { cwd: process.cwd(), addHandler: () => undefined });
  return repin;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: Math.round(performance.now() - start), result };
}

export const round = (n: number) => Math.round(n * 1000) / 1000;
