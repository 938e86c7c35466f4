// One end-to-end world per test: the real docker-registry, the GitHub simulator, and the real
// Probot server (webhooks over HTTP, signed) running repin with its API base at the simulator.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { sign } from "@octokit/webhooks-methods";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { createRepin, type Repin } from "../../../src/app/index.js";
import { anonymousKeychain, createRegistry, memoizeRegistry } from "../../../src/registry/index.js";
import { startGitHubSimulator, type GitHubSimulator } from "../../support/github/index.js";
import { freePort, startRegistry, type TestRegistry } from "../../support/registry/registry.js";
import { pushImage } from "../../support/registry/push.js";

const require = createRequire(import.meta.url);
type Example = { name: string; examples: Record<string, unknown>[] };
const examples = require("@octokit/webhooks-examples") as Example[];

export const APP_ID = 4242;
export const SECRET = "repin-webhook-secret";
export const OWNER = "acme";

export interface World {
  readonly sim: GitHubSimulator;
  readonly registry: TestRegistry;
  readonly repin: Repin;
  readonly installationId: number;
  readonly webhookUrl: string;
  /** `127.0.0.1:PORT/<name>`: an image name as a Dockerfile writes it. */
  image(name: string): string;
  /** Pushes a single-platform image under `tag`; `version` changes its digest. */
  push(name: string, tag: string, version: string): Promise<string>;
  createRepo(name: string, files: Record<string, string>): Promise<void>;
  deliver(event: string, payload: Record<string, unknown>, options?: { secret?: string }): Promise<Response>;
  install(repos: readonly string[]): Promise<Response>;
  stop(): Promise<void>;
}

export interface WorldOptions {
  /** Octokit retries for 5xx (fast in tests); default off. */
  readonly retries?: number;
  /** Tree entries the simulator lists before `truncated: true`. */
  readonly treeLimit?: number;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const registry = await startRegistry();
  const sim = await startGitHubSimulator({ treeLimit: options.treeLimit });
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  sim.createApp({ appId: APP_ID, privateKeyPem: privateKey });
  const { id: installationId } = sim.createInstallation({ appId: APP_ID, account: OWNER });

  const base = createRegistry({ keychain: anonymousKeychain, retries: 1, backoffBaseMs: 1 });
  const repin = createRepin({ schedule: null, registry: () => memoizeRegistry(base) });

  const log = pino({ level: process.env.REPIN_TEST_LOG ?? "silent" });
  const retries = options.retries ?? 0;
  // A function default: Probot's own defaults would override a plain object's `throttle`.
  const Octokit = ProbotOctokit.defaults((instance: Record<string, unknown>) => ({
    ...instance,
    retry: retries > 0 ? { enabled: true, retries, retryAfterBaseValue: 5 } : { enabled: false },
    throttle: { ...(instance.throttle as object), enabled: false },
  }));
  const port = await freePort();
  const server = new Server({
    host: "127.0.0.1",
    port,
    log,
    Probot: Probot.defaults({ appId: APP_ID, privateKey, secret: SECRET, baseUrl: sim.url, Octokit, log }),
  });
  await server.load(repin.app);
  await server.start();
  const webhookUrl = `http://127.0.0.1:${port}/api/github/webhooks`;

  const deliver = async (event: string, payload: Record<string, unknown>, opts: { secret?: string } = {}) => {
    const body = JSON.stringify(payload);
    return fetch(webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": event,
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": await sign(opts.secret ?? SECRET, body),
      },
      body,
    });
  };

  return {
    sim,
    registry,
    repin,
    installationId,
    webhookUrl,
    image: (name) => `${registry.host}/${name}`,
    push: async (name, tag, version) => (await pushImage(registry, name, tag, { created: version })).digest,
    async createRepo(name, files) {
      await sim.createRepo(OWNER, name, { files, installationId });
    },
    deliver,
    install: (repos) => deliver("installation", installationPayload(installationId, repos)),
    async stop() {
      repin.stop();
      await server.stop();
      await sim.stop();
      await registry.stop();
    },
  };
}

/** An example payload of `event` (and `action`), for the tests to adapt. */
export function example(event: string, action?: string): Record<string, unknown> {
  const found = examples.find((entry) => entry.name === event)?.examples.find((entry) => action === undefined || entry.action === action);
  if (!found) throw new Error(`no example for ${event}.${action}`);
  return structuredClone(found);
}

export function installationPayload(installationId: number, repos: readonly string[]): Record<string, unknown> {
  const payload = example("installation", "created");
  const installation = payload.installation as Record<string, unknown>;
  return {
    ...payload,
    installation: { ...installation, id: installationId, app_id: APP_ID },
    repositories: repos.map((name, i) => ({ id: 9000 + i, node_id: `R_${i}`, name, full_name: `${OWNER}/${name}`, private: false })),
  };
}

/** A push to `branch` of `repo` touching `paths`. */
export function pushPayload(installationId: number, repo: string, branch: string, paths: readonly string[], after: string): Record<string, unknown> {
  const payload = example("push");
  const repository = payload.repository as Record<string, unknown>;
  const commit = ((payload.commits as Record<string, unknown>[] | undefined)?.[0] ?? {}) as Record<string, unknown>;
  return {
    ...payload,
    ref: `refs/heads/${branch}`,
    after,
    installation: { id: installationId, node_id: "I_1" },
    repository: { ...repository, name: repo, full_name: `${OWNER}/${repo}`, default_branch: "main", owner: { ...(repository.owner as object), login: OWNER, name: OWNER } },
    commits: [{ ...commit, id: after, added: [], removed: [], modified: [...paths] }],
  };
}

export function dockerfile(image: string, tag: string, digest: string, extra = ""): string {
  return `FROM ${image}:${tag}@${digest}\n${extra}RUN echo hello\n`;
}

export type { GitHubSimulator };
