import type { Probot } from "probot";
import { BRANCH_PREFIX, markDirty, trackedPaths, type GitHubClient, type RepinMemory, type RepoTarget } from "../github/index.js";
import { DEFAULT_CONFIG_FILE } from "../config/index.js";

/**
 * Webhook routing (STYLE 12): each handler picks the repositories an event concerns, returns
 * early with a logged reason, and hands them to `scan` (src/github does the work). Pushes to a
 * repin branch and PR events on repin branches only mark the repository for reconciling at the
 * next cycle.
 */
export interface HandlerDeps {
  readonly memory: RepinMemory;
  readonly scan: (client: GitHubClient, targets: readonly RepoTarget[]) => Promise<void>;
}

interface Commit {
  readonly added?: string[];
  readonly modified?: string[];
  readonly removed?: string[];
}

export function registerHandlers(app: Probot, deps: HandlerDeps): void {
  app.on("installation.created", async (context) => {
    const id = context.payload.installation.id;
    const targets = (context.payload.repositories ?? []).map((repo) => targetOf(id, repo.full_name));
    await deps.scan(context.octokit, targets);
  });

  app.on("installation_repositories.added", async (context) => {
    const id = context.payload.installation.id;
    await deps.scan(context.octokit, context.payload.repositories_added.map((repo) => targetOf(id, repo.full_name)));
  });

  app.on("push", async (context) => {
    const { payload } = context;
    const repo = payload.repository;
    const fullName = repo.full_name;
    const owner = fullName.split("/")[0] ?? "";
    if (payload.ref.startsWith(`refs/heads/${BRANCH_PREFIX}`)) {
      markDirty(deps.memory, fullName);
      return;
    }
    if (payload.ref !== `refs/heads/${repo.default_branch}`) return void context.log.debug({ repo: fullName, ref: payload.ref }, "push to another branch; ignored");
    if (!touchesTracked(payload.commits, deps.memory.repos.get(fullName.toLowerCase())?.configText ?? "")) {
      return void context.log.debug({ repo: fullName }, "push touches no tracked file; ignored");
    }
    const installation = payload.installation?.id;
    if (installation === undefined) return void context.log.warn({ repo: fullName }, "push without installation; ignored");
    await deps.scan(context.octokit, [{ installationId: installation, owner, name: repo.name, defaultBranch: repo.default_branch }]);
  });

  app.on(["pull_request.closed", "pull_request.reopened", "pull_request.edited", "pull_request.synchronize"], async (context) => {
    const pull = context.payload.pull_request;
    if (!pull.head.ref.startsWith(BRANCH_PREFIX)) return;
    markDirty(deps.memory, context.payload.repository.full_name);
  });
}

function targetOf(installationId: number, fullName: string): RepoTarget {
  const [owner = "", name = ""] = fullName.split("/");
  return { installationId, owner, name, defaultBranch: null };
}

/** A push touches a tracked file or the config; a commit without file lists (huge pushes) counts as touching. */
export function touchesTracked(commits: readonly Commit[], configText: string): boolean {
  const tracked = trackedPaths(configText);
  return commits.some((commit) => {
    if (!commit.added && !commit.modified && !commit.removed) return true;
    return [...(commit.added ?? []), ...(commit.modified ?? []), ...(commit.removed ?? [])].some((path) => path === DEFAULT_CONFIG_FILE || tracked(path));
  });
}
