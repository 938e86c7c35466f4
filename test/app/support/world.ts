// One end-to-end world per test: the real docker-registry, the GitHub simulator, and the real
// Probot server (webhooks over HTTP, signed) running repin with its API base at the simulator.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { sign } from "@octokit/webhooks-methods";
import { pino } from "pino";
import { Probot, ProbotOctokit, Server } from "probot";
import { afterEach, beforeEach, expect } from "vitest";
import { createFeedFetcher } from "../../../src/advisory-feeds/index.js";
import { createRepin, type Repin, type RepinOptions } from "../../../src/app/index.js";
import { createAdvisoryStore } from "../../../src/explain/index.js";
import { anonymousKeychain, createAppRegistry } from "../../../src/registry/index.js";
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
  /** The running App (a new one after `restart`). */
  readonly repin: Repin;
  readonly installationId: number;
  readonly webhookUrl: string;
  /** The App's `POST /api/repin/registry-events` (served when the world has `registryEvents`). */
  readonly eventsUrl: string;
  /** Stops the App (closing its store) and starts a new `createRepin`: a fresh store unless `repin` opens one on disk. */
  restart(): Promise<void>;
  /** Moves repin's clock (minimumAge, schedule). */
  advance(ms: number): void;
  /** `127.0.0.1:PORT/<name>`: an image name as a Dockerfile writes it. */
  image(name: string): string;
  /** Pushes a single-platform image under `tag`; `version` changes its digest. */
  push(name: string, tag: string, version: string): Promise<string>;
  createRepo(name: string, files: Record<string, string>): Promise<void>;
  deliver(event: string, payload: Record<string, unknown>, options?: { secret?: string }): Promise<Response>;
  /** Sends the last delivery again, byte for byte, with the same id and signature (a replay). */
  replay(): Promise<Response>;
  /** Starts another App process (its own Probot server and memory) over the same simulator and registry. */
  spawn(): Promise<Repin>;
  install(repos: readonly string[]): Promise<Response>;
  /**
   * Stops everything, then fails the test if any simulator response broke GitHub's OpenAPI schema
   * or repin called a route the simulator does not serve (every App test gets both checks here).
   */
  stop(): Promise<void>;
}

export interface WorldOptions {
  /** Octokit retries for 5xx (fast in tests); default off. */
  readonly retries?: number;
  /** Tree entries the simulator lists before `truncated: true`. */
  readonly treeLimit?: number;
  /** What the installation granted (default: everything app.yml asks for). */
  readonly permissions?: Record<string, "read" | "write">;
  /** More options for each createRepin (advisories, inventoryCache, explainMaxBytes, …); default: no advisory feeds. */
  readonly repin?: () => Partial<RepinOptions>;
  /**
   * The registry notifies the App (`notifications.endpoints`, v1 envelopes, this bearer token) and
   * the App serves its events endpoint with it; the App keeps one port across restarts for that.
   */
  readonly registryEvents?: { readonly token: string };
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const events = options.registryEvents;
  const appPort = events ? await freePort() : null;
  const registry = await startRegistry(
    events && { notify: { url: `http://127.0.0.1:${appPort}/api/repin/registry-events`, token: events.token } },
  );
  const sim = await startGitHubSimulator({ treeLimit: options.treeLimit });
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  sim.createApp({ appId: APP_ID, privateKeyPem: privateKey });
  const { id: installationId } = sim.createInstallation({
    appId: APP_ID,
    account: OWNER,
    ...(options.permissions && { permissions: options.permissions }),
  });

  // The App's own registry: internal addresses refused but the world's loopback registry, which the
  // operator lists (REPIN_PRIVATE_REGISTRIES); no credentials.
  const registryViews = createAppRegistry({
    keychain: anonymousKeychain,
    credentialAccounts: [],
    privateRegistries: [registry.host],
    retries: 1,
    backoffBaseMs: 1,
  });
  let offset = 0;
  const now = () => new Date(Date.now() + offset);

  const log = pino({ level: process.env.REPIN_TEST_LOG ?? "silent" });
  const retries = options.retries ?? 0;
  // A function default: Probot's own defaults would override a plain object's `throttle`.
  const Octokit = ProbotOctokit.defaults((instance: Record<string, unknown>) => ({
    ...instance,
    retry: retries > 0 ? { enabled: true, retries, retryAfterBaseValue: 5 } : { enabled: false },
    throttle: { ...(instance.throttle as object), enabled: false },
  }));
  const boot = async (fixedPort: number | null = null) => {
    // No feed by default: the public ones are not for tests.
    const advisories = createAdvisoryStore({ feeds: [], fetcher: createFeedFetcher() });
    const repin = createRepin({
      schedule: null,
      registry: registryViews,
      now,
      advisories,
      privateKey,
      ...(events && { registryEventsToken: events.token }),
      ...options.repin?.(),
    });
    const port = fixedPort ?? (await freePort());
    const server = new Server({
      host: "127.0.0.1",
      port,
      log,
      Probot: Probot.defaults({ appId: APP_ID, privateKey, secret: SECRET, baseUrl: sim.url, Octokit, log }),
    });
    await server.load(repin.app);
    await server.start();
    const base = `http://127.0.0.1:${port}`;
    return { repin, server, webhookUrl: `${base}/api/github/webhooks`, eventsUrl: `${base}/api/repin/registry-events` };
  };
  let app = await boot(appPort);

  const others: Awaited<ReturnType<typeof boot>>[] = [];
  let last: { headers: Record<string, string>; body: string } | null = null;
  const deliver = async (event: string, payload: Record<string, unknown>, opts: { secret?: string } = {}) => {
    const body = JSON.stringify(payload);
    const headers = {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256": await sign(opts.secret ?? SECRET, body),
    };
    last = { headers, body };
    return fetch(app.webhookUrl, { method: "POST", headers, body });
  };

  return {
    sim,
    registry,
    get repin() {
      return app.repin;
    },
    installationId,
    get webhookUrl() {
      return app.webhookUrl;
    },
    get eventsUrl() {
      return app.eventsUrl;
    },
    async restart() {
      app.repin.stop();
      await app.server.stop();
      await app.repin.store.close();
      app = await boot(appPort);
    },
    advance(ms) {
      offset += ms;
    },
    image: (name) => `${registry.host}/${name}`,
    push: async (name, tag, version) => (await pushImage(registry, name, tag, { created: version })).digest,
    async createRepo(name, files) {
      await sim.createRepo(OWNER, name, { files, installationId });
    },
    deliver,
    async replay() {
      if (!last) throw new Error("nothing delivered yet");
      return fetch(app.webhookUrl, { method: "POST", headers: last.headers, body: last.body });
    },
    async spawn() {
      const other = await boot();
      others.push(other);
      return other.repin;
    },
    install: (repos) => deliver("installation", installationPayload(installationId, repos)),
    async stop() {
      const violations = [...sim.schemaViolations()];
      const unserved = [...sim.unservedRequests()];
      for (const running of [app, ...others]) {
        running.repin.stop();
        await running.server.stop();
        await running.repin.store.close();
      }
      await sim.stop();
      await registry.stop();
      expect(violations, "simulator responses that break GitHub's OpenAPI schema").toEqual([]);
      expect(unserved, "requests for routes the GitHub simulator does not serve").toEqual([]);
    },
  };
}

/**
 * Registers the hooks most App tests share: a fresh world before each test, stopped after it.
 * Returns a stand-in that forwards to the running test's world, so tests write `world.sim` as before.
 */
export function useWorld(options: WorldOptions = {}): World {
  let current: World | undefined;
  beforeEach(async () => {
    current = await startWorld(options);
  });
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
  return new Proxy({} as World, {
    get(_, key) {
      if (!current) throw new Error("the world exists only while a test runs");
      return Reflect.get(current, key);
    },
  });
}

/** An example payload of `event` (and `action`), for the tests to adapt. */
export function example(event: string, action?: string): Record<string, unknown> {
  const found = examples
    .find((entry) => entry.name === event)
    ?.examples.find((entry) => action === undefined || entry.action === action);
  if (!found) throw new Error(`no example for ${event}.${action}`);
  return structuredClone(found);
}

export function installationPayload(installationId: number, repos: readonly string[]): Record<string, unknown> {
  const payload = example("installation", "created");
  const installation = payload.installation as Record<string, unknown>;
  return {
    ...payload,
    installation: { ...installation, id: installationId, app_id: APP_ID },
    repositories: repos.map((name, i) => ({
      id: 9000 + i,
      node_id: `R_${i}`,
      name,
      full_name: `${OWNER}/${name}`,
      private: false,
    })),
  };
}

/** A push to `branch` of `repo` touching `paths`. */
export function pushPayload(
  installationId: number,
  repo: string,
  branch: string,
  paths: readonly string[],
  after: string,
): Record<string, unknown> {
  const payload = example("push");
  const repository = payload.repository as Record<string, unknown>;
  const commit = ((payload.commits as Record<string, unknown>[] | undefined)?.[0] ?? {}) as Record<string, unknown>;
  return {
    ...payload,
    ref: `refs/heads/${branch}`,
    after,
    installation: { id: installationId, node_id: "I_1" },
    repository: {
      ...repository,
      name: repo,
      full_name: `${OWNER}/${repo}`,
      default_branch: "main",
      owner: { ...(repository.owner as object), login: OWNER, name: OWNER },
    },
    commits: [{ ...commit, id: after, added: [], removed: [], modified: [...paths] }],
  };
}

export function dockerfile(image: string, tag: string, digest: string, extra = ""): string {
  return `FROM ${image}:${tag}@${digest}\n${extra}RUN echo hello\n`;
}

export type { GitHubSimulator };

/** The payload's repository and installation, pointed at `repo` of this world. */
function inRepo(w: World, repo: string, payload: Record<string, unknown>): Record<string, unknown> {
  const repository = payload.repository as Record<string, unknown>;
  return {
    ...payload,
    installation: { id: w.installationId, node_id: "I_1" },
    repository: {
      ...repository,
      name: repo,
      full_name: `${OWNER}/${repo}`,
      default_branch: "main",
      owner: { ...(repository.owner as object), login: OWNER },
    },
  };
}

export interface Author {
  readonly user: string;
  readonly type?: "User" | "Bot";
}

/** Posts a comment in the simulator as `user` and delivers its `issue_comment.created`. */
/** Moves `branch` of `repo` to `sha` as a writer `user` would with `git push --force`. */
export async function forcePush(w: World, repo: string, user: string, branch: string, sha: string): Promise<void> {
  w.sim.setPermission(OWNER, repo, user, "write");
  const token = w.sim.createUserToken(user);
  const response = await fetch(`${w.sim.url}/repos/${OWNER}/${repo}/git/refs/heads/${branch}`, {
    method: "PATCH",
    headers: { authorization: `token ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ sha, force: true }),
  });
  if (response.status !== 200) throw new Error(`force push to ${branch}: ${response.status}`);
}

export async function comment(w: World, repo: string, number: number, author: Author, body: string): Promise<Response> {
  const id = w.sim.addComment(OWNER, repo, number, { user: author.user, body });
  const payload = example("issue_comment", "created");
  const issue = payload.issue as Record<string, unknown>;
  const isPull = w.sim.pulls(OWNER, repo).some((pull) => pull.number === number);
  const sender = { ...(payload.sender as object), login: author.user, type: author.type ?? "User" };
  const { pull_request: _omit, ...plainIssue } = issue;
  return w.deliver(
    "issue_comment",
    inRepo(w, repo, {
      ...payload,
      issue: {
        ...plainIssue,
        number,
        ...(isPull && { pull_request: { url: "u", html_url: "h", diff_url: "d", patch_url: "p" } }),
      },
      comment: { ...(payload.comment as object), id, body, user: sender },
      sender,
    }),
  );
}

/** Adds a review in the simulator and delivers its `pull_request_review.submitted`. */
export async function review(
  w: World,
  repo: string,
  number: number,
  author: Author,
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED",
  body: string,
): Promise<Response> {
  const id = w.sim.addReview(OWNER, repo, number, { user: author.user, state, body });
  const payload = example("pull_request_review", "submitted");
  const pull = payload.pull_request as Record<string, unknown>;
  const sender = { ...(payload.sender as object), login: author.user, type: author.type ?? "User" };
  return w.deliver(
    "pull_request_review",
    inRepo(w, repo, {
      ...payload,
      pull_request: { ...pull, number },
      review: { ...(payload.review as object), id, body, state: state.toLowerCase(), user: sender },
      sender,
    }),
  );
}

/** Edits an issue body in the simulator (as a person would) and delivers `issues.edited`. */
export async function editIssue(
  w: World,
  repo: string,
  number: number,
  author: Author,
  body: string,
  options: { readonly from?: string } = {},
): Promise<Response> {
  const issue = w.sim.issues(OWNER, repo).find((candidate) => candidate.number === number);
  if (!issue) throw new Error(`no issue ${number}`);
  // `from`: what the event says the body was (a quick second edit names the first edit's text).
  const previous = options.from ?? issue.body;
  (issue as { body: string | null }).body = body;
  const payload = example("issues", "edited");
  const sender = { ...(payload.sender as object), login: author.user, type: author.type ?? "User" };
  const user = {
    ...(payload.sender as object),
    login: issue.user,
    type: issue.user.endsWith("[bot]") ? "Bot" : "User",
  };
  return w.deliver(
    "issues",
    inRepo(w, repo, {
      ...payload,
      issue: { ...(payload.issue as object), number, title: issue.title, body, user },
      changes: { body: { from: previous ?? "" } },
      sender,
    }),
  );
}

/** The dashboard issue of `repo`, if any. */
export function dashboardOf(w: World, repo: string) {
  return w.sim.issues(OWNER, repo).find((issue) => !issue.pull && issue.title === "repin dashboard");
}
