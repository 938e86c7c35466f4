// Shared setup for the simulator's tests: an App with a real RSA key, one
// installation on "acme", a seeded repository, and Octokit clients made the
// way repin makes them (JWT → installation token → REST).
import { generateKeyPairSync } from "node:crypto";
import { RequestError } from "@octokit/request-error";
import { Octokit } from "@octokit/rest";
import { afterEach, beforeEach, expect } from "vitest";
import {
  signAppJwt,
  startGitHubSimulator,
  type GitHubSimulator,
  type SimulatorOptions,
} from "../support/github/index.js";

export const APP_ID = 4242;
export const OWNER = "acme";
export const REPO = "web";
/** The seeded repository, for spreading into Octokit parameters. */
export const repo = { owner: OWNER, repo: REPO };
export const SEED_FILES = {
  Dockerfile: "FROM alpine:3.20@sha256:" + "a".repeat(64) + "\nRUN echo hi\n",
  "services/api/Dockerfile": "FROM node:20@sha256:" + "b".repeat(64) + "\n",
  ".github/repin.yml": "pin: true\nlabels: [deps]\n",
};

export interface Fixture {
  sim: GitHubSimulator;
  privateKey: string;
  installationId: number;
  appClient(): Octokit;
  installationClient(): Promise<Octokit>;
}

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export function client(baseUrl: string, auth?: string): Octokit {
  return new Octokit({ baseUrl, auth, log: quiet });
}

export async function setup(options: SimulatorOptions = {}): Promise<Fixture> {
  const sim = await startGitHubSimulator(options);
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  sim.createApp({ appId: APP_ID, privateKeyPem: privateKey });
  const { id: installationId } = sim.createInstallation({ appId: APP_ID, account: OWNER });
  await sim.createRepo(OWNER, REPO, { installationId, files: SEED_FILES });
  const appClient = () => client(sim.apiUrl, signAppJwt(APP_ID, privateKey));
  return {
    sim,
    privateKey,
    installationId,
    appClient,
    async installationClient() {
      const { data } = await appClient().rest.apps.createInstallationAccessToken({ installation_id: installationId });
      return client(sim.apiUrl, data.token);
    },
  };
}

/** The running test's fixture and installation client, filled in by `useSimulator`'s beforeEach. */
export interface Session {
  f: Fixture;
  octokit: Octokit;
}

/**
 * Registers the hooks the simulator's tests share: a fresh `setup()` and installation client
 * before each test (then `prepare`, e.g. seeding a branch), and after it, no response that broke
 * GitHub's schema and no request for a route the simulator does not serve.
 */
export function useSimulator(prepare?: (f: Fixture) => Promise<void>): Session {
  const session = {} as Session;
  beforeEach(async () => {
    session.f = await setup();
    session.octokit = await session.f.installationClient();
    await prepare?.(session.f);
  });
  afterEach(async () => {
    expect(session.f.sim.schemaViolations()).toEqual([]);
    expect(session.f.sim.unservedRequests()).toEqual([]);
    await session.f.sim.stop();
  });
  return session;
}

/** The RequestError a request fails with; fails the test if it succeeds. */
export async function errorOf(promise: Promise<unknown>): Promise<RequestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RequestError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}
