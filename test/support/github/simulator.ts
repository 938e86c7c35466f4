// Starts the simulator: state, bare repositories in a temp dir, the HTTP
// server, and the helpers tests use to seed data and act as humans.
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as git from "./git.js";
import { createHandler, type Fault, type LoggedRequest, type Route, type Shell } from "./http.js";
import { appRoutes, newToken } from "./routes-apps.js";
import { checkRoutes } from "./routes-checks.js";
import { gitRoutes } from "./routes-git.js";
import { issueRoutes } from "./routes-issues.js";
import { mergePullRequest, openPullRequest, pullRoutes, type MergeMethod } from "./routes-pulls.js";
import { repoRoutes } from "./routes-repos.js";
import { loadResponseValidator, type SchemaViolation } from "./schema.js";
import {
  account,
  createState,
  repoKey,
  type CheckRun,
  type Comment,
  type Dispatch,
  type Issue,
  type PermissionLevel,
  type Reaction,
  type Repo,
  type ReviewState,
} from "./state.js";
import { findIssue, findPull, nowIso, personFor } from "./views.js";

export interface SimulatorOptions {
  /** Validate every JSON response against GitHub's schema (default true). */
  validate?: boolean;
  /** Requests per hour per installation before x-ratelimit-remaining hits 0 (default 5000). */
  rateLimit?: number;
  /** Entries a tree response holds before `truncated: true` (default 100000, like GitHub). */
  treeLimit?: number;
}

export interface CreateAppOptions {
  appId: number;
  /** The App's private key (PEM); its public key verifies the JWTs. */
  privateKeyPem?: string;
  publicKey?: string | KeyObject;
  slug?: string;
  name?: string;
  owner?: string;
}

export interface CreateRepoOptions {
  defaultBranch?: string;
  files?: Record<string, string | Buffer>;
  installationId?: number;
  private?: boolean;
  /** Login of the first commit's author (default: the owner). */
  author?: string;
}

export type FileChanges = Record<string, string | Buffer | null>;

/** Every route, in match order: check-runs before the greedy `commits/{ref+}`. */
export function allRoutes(shell: Shell, treeLimit: number): Route[] {
  return [
    ...appRoutes(shell),
    ...checkRoutes(shell),
    ...gitRoutes(shell, treeLimit),
    ...pullRoutes(shell),
    ...issueRoutes(shell),
    ...repoRoutes(shell),
  ];
}

export async function startGitHubSimulator(options: SimulatorOptions = {}) {
  const root = await mkdtemp(join(tmpdir(), "github-sim-"));
  const state = createState();
  let clockOffset = 0;
  const shell: Shell = {
    state,
    validator: options.validate === false ? null : loadResponseValidator(),
    now: () => Date.now() + clockOffset,
    requests: [],
    violations: [],
    unserved: [],
    writes: [],
    faults: [],
    buckets: new Map(),
    rateLimit: options.rateLimit ?? 5000,
  };
  const routes = allRoutes(shell, options.treeLimit ?? 100_000);
  let origin = "";
  const server = createServer(createHandler(shell, routes, () => origin));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const repoOf = (owner: string, name: string): Repo => {
    const repo = state.repos.get(repoKey(owner, name));
    if (!repo) throw new Error(`no repository ${owner}/${name}`);
    return repo;
  };
  const installationOf = (id: number) => {
    const inst = state.installations.get(id);
    if (!inst) throw new Error(`no installation ${id}`);
    return inst;
  };
  const repoDir = (owner: string, name: string) => join(root, `${owner}--${name}.git`);
  const register = (
    owner: string,
    name: string,
    dir: string,
    defaultBranch: string,
    opts: { installationId?: number; private?: boolean },
  ): Repo => {
    if (!state.accounts.has(owner.toLowerCase())) account(state, owner, "Organization");
    const now = nowIso(shell);
    const repo: Repo = {
      id: state.nextId(),
      owner,
      name,
      dir,
      defaultBranch,
      private: opts.private ?? false,
      createdAt: now,
      pushedAt: now,
      permissions: new Map(),
      labels: [],
      issues: [],
      comments: [],
      reviewComments: [],
      reactions: [],
      checkRuns: [],
      verified: new Set(),
      empty: false,
    };
    state.repos.set(repoKey(owner, name), repo);
    if (opts.installationId !== undefined) installationOf(opts.installationId).repositoryIds.add(repo.id);
    return repo;
  };
  const commitAs = async (
    repo: Repo,
    branch: string,
    files: FileChanges,
    opts: { author?: string; message?: string; from?: string },
  ) => {
    const ref = `refs/heads/${branch}`;
    const parent =
      (await git.resolveCommit(repo.dir, ref)) ??
      (opts.from
        ? await git.resolveCommit(repo.dir, opts.from)
        : await git.resolveCommit(repo.dir, `refs/heads/${repo.defaultBranch}`));
    const changes: git.TreeChange[] = [];
    for (const [path, content] of Object.entries(files)) {
      changes.push({
        path,
        mode: "100644",
        type: "blob",
        sha:
          content === null
            ? null
            : await git.writeBlob(repo.dir, Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8")),
      });
    }
    const baseTree = parent ? await git.resolveTree(repo.dir, parent) : null;
    const tree = await git.buildTree(repo.dir, baseTree, changes);
    const date = nowIso(shell);
    const person = personFor(account(state, opts.author ?? repo.owner), date);
    const sha = await git.commitTree(
      repo.dir,
      tree,
      parent ? [parent] : [],
      opts.message ?? `Update ${Object.keys(files).join(", ")}`,
      person,
      person,
    );
    await git.updateRef(repo.dir, ref, sha);
    repo.empty = false;
    if (branch === repo.defaultBranch) repo.pushedAt = date;
    return sha;
  };

  return {
    /** Web base, e.g. http://127.0.0.1:PORT (the API is also served here, at `/`). */
    url: origin,
    /** GHE-style API base: `${url}/api/v3` (GHE_HOST=127.0.0.1:PORT, GHE_PROTOCOL=http). */
    apiUrl: `${origin}/api/v3`,
    host: new URL(origin).host,
    root,

    async stop(): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },

    createApp(opts: CreateAppOptions) {
      const key = opts.publicKey ?? (opts.privateKeyPem ? createPublicKey(createPrivateKey(opts.privateKeyPem)) : null);
      if (!key) throw new Error("createApp needs privateKeyPem or publicKey");
      const slug = opts.slug ?? "repin";
      const owner = opts.owner ?? "repin-org";
      account(state, owner, "Organization");
      const app = {
        id: opts.appId,
        slug,
        name: opts.name ?? slug,
        owner,
        publicKey: typeof key === "string" ? createPublicKey(key) : key,
        botLogin: `${slug}[bot]`,
        createdAt: nowIso(shell),
      };
      state.apps.set(app.id, app);
      account(state, app.botLogin, "Bot");
      return { id: app.id, slug, botLogin: app.botLogin };
    },

    /** `repositories: "all"` follows every repository of `account`; otherwise repos join via createRepo/addRepository. */
    createInstallation(opts: {
      appId: number;
      account: string;
      id?: number;
      accountType?: "User" | "Organization";
      repositories?: "all" | "selected";
    }) {
      if (!state.apps.has(opts.appId)) throw new Error(`no app ${opts.appId}`);
      account(state, opts.account, opts.accountType ?? "Organization");
      const id = opts.id ?? state.nextId();
      state.installations.set(id, {
        id,
        appId: opts.appId,
        account: opts.account,
        selection: opts.repositories ?? "selected",
        repositoryIds: new Set(),
        createdAt: nowIso(shell),
      });
      return { id };
    },

    addRepository(installationId: number, owner: string, name: string): void {
      installationOf(installationId).repositoryIds.add(repoOf(owner, name).id);
    },

    removeRepository(installationId: number, owner: string, name: string): void {
      installationOf(installationId).repositoryIds.delete(repoOf(owner, name).id);
    },

    /**
     * An installation token without the JWT dance (the App's flow is tested elsewhere); `readOnly`:
     * like a workflow's `github.token` under `permissions: read-all`, every write answers 403.
     */
    createInstallationToken(installationId: number, options: { readonly readOnly?: boolean } = {}): string {
      installationOf(installationId);
      const token = newToken("ghs_");
      state.tokens.set(token, {
        token,
        expiresAt: shell.now() + 3_600_000,
        owner: {
          kind: "installation",
          installationId,
          repositoryIds: null,
          ...(options.readOnly && { readOnly: true }),
        },
      });
      return token;
    },

    /** A token that acts as a human user through the API. */
    createUserToken(login: string): string {
      account(state, login);
      const token = newToken("ghp_");
      state.tokens.set(token, { token, expiresAt: Number.MAX_SAFE_INTEGER, owner: { kind: "user", login } });
      return token;
    },

    async createRepo(owner: string, name: string, opts: CreateRepoOptions = {}) {
      if (state.repos.has(repoKey(owner, name))) throw new Error(`repository ${owner}/${name} exists`);
      const dir = repoDir(owner, name);
      await mkdir(dir, { recursive: true });
      const defaultBranch = opts.defaultBranch ?? "main";
      await git.initBare(dir, defaultBranch);
      const repo = register(owner, name, dir, defaultBranch, opts);
      const headSha = await commitAs(repo, defaultBranch, opts.files ?? {}, {
        author: opts.author,
        message: "Initial commit",
      });
      return { id: repo.id, dir, headSha };
    },

    /** A repository with no commit yet, as GitHub creates one without a README; a first `commitFiles` fills it. */
    async createEmptyRepo(
      owner: string,
      name: string,
      opts: Pick<CreateRepoOptions, "defaultBranch" | "installationId" | "private"> = {},
    ): Promise<{ id: number }> {
      if (state.repos.has(repoKey(owner, name))) throw new Error(`repository ${owner}/${name} exists`);
      const dir = repoDir(owner, name);
      await mkdir(dir, { recursive: true });
      const defaultBranch = opts.defaultBranch ?? "main";
      await git.initBare(dir, defaultBranch);
      const repo = register(owner, name, dir, defaultBranch, opts);
      repo.empty = true;
      return { id: repo.id };
    },

    /** Where a repository's bare git directory lives (for seeders that write it themselves). */
    repoDir,

    /** Serves a bare repository already written at `repoDir(owner, name)` (see seed.ts); no git runs. */
    adoptRepo(
      owner: string,
      name: string,
      opts: { defaultBranch?: string; installationId?: number; private?: boolean } = {},
    ): { id: number } {
      if (state.repos.has(repoKey(owner, name))) throw new Error(`repository ${owner}/${name} exists`);
      return { id: register(owner, name, repoDir(owner, name), opts.defaultBranch ?? "main", opts).id };
    },

    /** A human push: commits `files` (null deletes) on `branch`, creating it from `from` or the default branch. */
    commitFiles(
      owner: string,
      name: string,
      branch: string,
      files: FileChanges,
      opts: { author?: string; message?: string; from?: string } = {},
    ): Promise<string> {
      return commitAs(repoOf(owner, name), branch, files, opts);
    },

    async readFile(owner: string, name: string, ref: string, path: string): Promise<string | null> {
      const repo = repoOf(owner, name);
      const sha = await git.resolveCommit(repo.dir, ref);
      const entry = sha ? await git.treeEntry(repo.dir, sha, path) : null;
      return entry?.type === "blob" ? (await git.readBlob(repo.dir, entry.sha)).toString("utf8") : null;
    },

    gitDiff(owner: string, name: string, base: string, head: string): Promise<string> {
      return git.diffText(repoOf(owner, name).dir, base, head);
    },

    resolve(owner: string, name: string, ref: string): Promise<string | null> {
      return git.resolveCommit(repoOf(owner, name).dir, ref);
    },

    async readCommit(
      owner: string,
      name: string,
      ref: string,
    ): Promise<(git.GitCommit & { verified: boolean }) | null> {
      const repo = repoOf(owner, name);
      const sha = await git.resolveCommit(repo.dir, ref);
      return sha ? { ...(await git.readCommit(repo.dir, sha)), verified: repo.verified.has(sha) } : null;
    },

    async branches(owner: string, name: string): Promise<Record<string, string>> {
      const refs = await git.listRefs(repoOf(owner, name).dir);
      return Object.fromEntries(
        refs.filter((r) => r.ref.startsWith("refs/heads/")).map((r) => [r.ref.slice("refs/heads/".length), r.sha]),
      );
    },

    setPermission(owner: string, name: string, user: string, level: PermissionLevel): void {
      account(state, user);
      repoOf(owner, name).permissions.set(user.toLowerCase(), level);
    },

    /** A PR opened by a human. */
    async createPull(
      owner: string,
      name: string,
      opts: { head: string; base?: string; title: string; body?: string; user: string },
    ): Promise<number> {
      const repo = repoOf(owner, name);
      account(state, opts.user);
      const issue = await openPullRequest(shell, repo, {
        head: opts.head,
        base: opts.base ?? repo.defaultBranch,
        title: opts.title,
        body: opts.body ?? null,
        user: opts.user,
      });
      return issue.number;
    },

    async mergePull(
      owner: string,
      name: string,
      number: number,
      opts: { by: string; method?: MergeMethod } = { by: owner },
    ): Promise<string> {
      const repo = repoOf(owner, name);
      return mergePullRequest(shell, repo, findPull(repo, number), opts);
    },

    closePull(owner: string, name: string, number: number, opts: { by?: string } = {}): void {
      const issue = findPull(repoOf(owner, name), number);
      if (issue.state === "closed") return;
      Object.assign(issue, {
        state: "closed",
        closedAt: nowIso(shell),
        closedBy: opts.by ?? owner,
        updatedAt: nowIso(shell),
      });
    },

    addReview(
      owner: string,
      name: string,
      number: number,
      opts: { user: string; state: ReviewState; body?: string },
    ): number {
      const issue = findPull(repoOf(owner, name), number);
      const id = state.nextId();
      account(state, opts.user);
      issue.pull.reviews.push({
        id,
        user: opts.user,
        state: opts.state,
        body: opts.body ?? "",
        commitId: issue.pull.headSha,
        submittedAt: nowIso(shell),
      });
      issue.pull.requestedReviewers = issue.pull.requestedReviewers.filter((r) => r !== opts.user);
      return id;
    },

    addComment(owner: string, name: string, number: number, opts: { user: string; body: string }): number {
      const repo = repoOf(owner, name);
      findIssue(repo, number);
      account(state, opts.user);
      const id = state.nextId();
      repo.comments.push({
        id,
        issueNumber: number,
        body: opts.body,
        user: opts.user,
        createdAt: nowIso(shell),
        updatedAt: nowIso(shell),
      });
      return id;
    },

    addReviewComment(
      owner: string,
      name: string,
      number: number,
      opts: { user: string; body: string; path: string },
    ): number {
      const repo = repoOf(owner, name);
      findPull(repo, number);
      account(state, opts.user);
      const id = state.nextId();
      repo.reviewComments.push({
        id,
        pullNumber: number,
        body: opts.body,
        user: opts.user,
        path: opts.path,
        createdAt: nowIso(shell),
      });
      return id;
    },

    /** Issues and pulls of a repository, as the simulator holds them (pulls have `pull` set). */
    issues(owner: string, name: string): readonly Issue[] {
      return repoOf(owner, name).issues;
    },
    pulls(owner: string, name: string): readonly Issue[] {
      return repoOf(owner, name).issues.filter((i) => i.pull);
    },
    comments(owner: string, name: string, number?: number): readonly Comment[] {
      return repoOf(owner, name).comments.filter((c) => number === undefined || c.issueNumber === number);
    },
    reactions(owner: string, name: string): readonly Reaction[] {
      return repoOf(owner, name).reactions;
    },
    checkRuns(owner: string, name: string): readonly CheckRun[] {
      return repoOf(owner, name).checkRuns;
    },
    dispatches(): readonly Dispatch[] {
      return state.dispatches;
    },

    injectFault(fault: Fault): void {
      shell.faults.push({ ...fault, remaining: fault.times ?? 1 });
    },
    clearFaults(): void {
      shell.faults.length = 0;
    },
    /** Moves the simulator's clock (token expiry, JWT checks, timestamps). */
    advanceTime(ms: number): void {
      clockOffset += ms;
    },

    /** Every request, in order. `rateLimited` is false for 304s and unauthenticated calls. */
    get requests(): readonly LoggedRequest[] {
      return shell.requests;
    },
    /** Requests that changed state (successful non-GETs of write routes). */
    writes(): number {
      return shell.writes.length;
    },
    writeLog(): readonly LoggedRequest[] {
      return shell.writes;
    },
    rateLimitedRequests(): number {
      return shell.requests.filter((r) => r.rateLimited).length;
    },
    /** Clears the request log and the write counter (not the state). */
    resetLog(): void {
      shell.requests.length = 0;
      shell.writes.length = 0;
    },
    schemaViolations(): readonly SchemaViolation[] {
      return shell.violations;
    },
    /** Requests that no route serves (answered 501), as `METHOD /path`; a test should see none. */
    unservedRequests(): readonly string[] {
      return shell.unserved;
    },
  };
}

export type GitHubSimulator = Awaited<ReturnType<typeof startGitHubSimulator>>;
