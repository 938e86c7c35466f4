import type { Probot } from "probot";
import { DASHBOARD_MARKER, DASHBOARD_TITLE } from "../dashboard/index.js";
import { BRANCH_PREFIX } from "../proposals/index.js";
import {
  forgetDashboard,
  knownConfig,
  REFUSAL_INTERVAL_MS,
  type Log,
  markDirty,
  onDashboardEdit,
  runCommands,
  trackedPaths,
  type CommandDeps,
  type CommandEvent,
  type GitHubClient,
  type RepoTarget,
} from "../github/index.js";
import type { Store } from "../store/index.js";
import { DEFAULT_CONFIG_FILE, parseRepinConfig, type ConfigParseResult } from "../config/index.js";

/**
 * Webhook routing (STYLE 12): each handler picks the repositories an event concerns, returns
 * early with a logged reason, and hands them to `scan` or `act` (src/github does the work).
 * Pushes to a repin branch and PR events on repin branches mark the repository for reconciling
 * at the next cycle; a repin PR closed unmerged is acted on at once (its ignore is recorded in
 * the dashboard). `/repin` commands come from issue comments, PR review bodies and PR review
 * comments; edits of the dashboard issue by people are acted on, repin's own are not.
 */
export interface HandlerDeps {
  readonly store: Store;
  readonly scan: (client: GitHubClient, targets: readonly RepoTarget[]) => Promise<void>;
  /** Runs `work` under the repository's lock. */
  readonly act: <T>(target: RepoTarget, work: (deps: CommandDeps) => Promise<T>) => Promise<T>;
  /** Prepares each delivery's client before its handler uses it (the App hooks metrics and pacing in). */
  readonly client?: (octokit: unknown, installationId: number | null) => void;
}

interface RepositoryPayload {
  readonly repository: { readonly full_name: string; readonly default_branch: string };
  readonly installation?: { readonly id: number };
}

function repoTarget(payload: RepositoryPayload): RepoTarget | null {
  const id = payload.installation?.id;
  const [owner, name] = payload.repository.full_name.split("/");
  if (id === undefined || !owner || !name) return null;
  return { installationId: id, owner, name, defaultBranch: payload.repository.default_branch };
}

interface Commit {
  readonly added?: string[];
  readonly modified?: string[];
  readonly removed?: string[];
}

/** Delivery ids are remembered (in the store, across restarts) for as long as GitHub redelivers: three days. */
export const DELIVERY_MEMORY_MS = 3 * 24 * 3_600_000;

interface Delivery {
  readonly id: string;
  readonly name: string;
  readonly log: Log;
  readonly octokit: unknown;
  readonly payload: object;
}

export function registerHandlers(app: Probot, deps: HandlerDeps): void {
  // The same delivery (a retry, a manual redelivery, a replayed request) is acted on once, before any API call;
  // one whose handler failed counts as not acted on.
  const deliveries = deps.store.recent("delivery", DELIVERY_MEMORY_MS);
  const refusals = deps.store.recent("refusal", REFUSAL_INTERVAL_MS);
  const once =
    <C extends Delivery>(handler: (context: C) => Promise<void>) =>
    async (context: C): Promise<void> => {
      if (!(await deliveries.first(context.id, Date.now())))
        return void context.log.info({ delivery: context.id, event: context.name }, "delivery seen before; dropped");
      const installation = (context.payload as { installation?: { id?: unknown } }).installation?.id;
      deps.client?.(context.octokit, typeof installation === "number" ? installation : null);
      try {
        await handler(context);
      } catch (error) {
        // Failed work is not done work: GitHub's redelivery of this id must act.
        await deliveries.forget(context.id);
        throw error;
      }
    };

  app.on(
    "installation.created",
    once(async (context) => {
      const id = context.payload.installation.id;
      const targets = (context.payload.repositories ?? []).map((repo) => targetOf(id, repo.full_name));
      await deps.scan(context.octokit, targets);
    }),
  );

  app.on(
    "installation_repositories.added",
    once(async (context) => {
      const id = context.payload.installation.id;
      await deps.scan(
        context.octokit,
        context.payload.repositories_added.map((repo) => targetOf(id, repo.full_name)),
      );
    }),
  );

  app.on(
    "push",
    once(async (context) => {
      const { payload } = context;
      const repo = payload.repository;
      const fullName = repo.full_name;
      const owner = fullName.split("/")[0] ?? "";
      if (payload.ref.startsWith(`refs/heads/${BRANCH_PREFIX}`)) {
        await markDirty(deps.store, fullName);
        return;
      }
      if (payload.ref !== `refs/heads/${repo.default_branch}`)
        return void context.log.debug({ repo: fullName, ref: payload.ref }, "push to another branch; ignored");
      if (!touchesTracked(payload.commits, await knownConfig(deps.store, fullName))) {
        return void context.log.debug({ repo: fullName }, "push touches no tracked file; ignored");
      }
      const installation = payload.installation?.id;
      if (installation === undefined)
        return void context.log.warn({ repo: fullName }, "push without installation; ignored");
      await deps.scan(context.octokit, [
        { installationId: installation, owner, name: repo.name, defaultBranch: repo.default_branch },
      ]);
    }),
  );

  app.on(
    ["pull_request.closed", "pull_request.reopened", "pull_request.edited", "pull_request.synchronize"],
    once(async (context) => {
      const pull = context.payload.pull_request;
      if (!pull.head.ref.startsWith(BRANCH_PREFIX)) return;
      await markDirty(deps.store, context.payload.repository.full_name);
      const target = repoTarget(context.payload);
      if (context.payload.action === "closed" && !pull.merged && target) await deps.scan(context.octokit, [target]);
    }),
  );

  const command = async (client: GitHubClient, target: RepoTarget | null, event: Omit<CommandEvent, "target">) => {
    if (target === null || !event.body.toLowerCase().includes("/repin")) return;
    await deps.act(target, (commandDeps) => runCommands(client, { ...event, target }, { ...commandDeps, refusals }));
  };

  app.on(
    "issue_comment.created",
    once(async (context) => {
      const { comment, issue, sender } = context.payload;
      await command(context.octokit, repoTarget(context.payload), {
        number: issue.number,
        isPull: Boolean(issue.pull_request),
        sender: { login: sender.login, type: sender.type },
        body: comment.body,
        reaction: { kind: "issue_comment", id: comment.id },
      });
    }),
  );

  app.on(
    "pull_request_review.submitted",
    once(async (context) => {
      const { review, pull_request: pull, sender } = context.payload;
      await command(context.octokit, repoTarget(context.payload), {
        number: pull.number,
        isPull: true,
        sender: { login: sender.login, type: sender.type },
        body: review.body ?? "",
        reaction: null,
      });
    }),
  );

  app.on(
    "pull_request_review_comment.created",
    once(async (context) => {
      const { comment, pull_request: pull, sender } = context.payload;
      await command(context.octokit, repoTarget(context.payload), {
        number: pull.number,
        isPull: true,
        sender: { login: sender.login, type: sender.type },
        body: comment.body,
        reaction: { kind: "review_comment", id: comment.id },
      });
    }),
  );

  app.on(
    ["issues.edited", "issues.closed"],
    once(async (context) => {
      const { issue, sender } = context.payload;
      const target = repoTarget(context.payload);
      // Only repin's dashboard: its title, its marker, opened by a bot (the App).
      if (
        !target ||
        issue.title !== DASHBOARD_TITLE ||
        issue.user?.type !== "Bot" ||
        !(issue.body ?? "").includes(DASHBOARD_MARKER)
      )
        return;
      if (context.payload.action === "closed") {
        // A duplicate repin closed is not the dashboard it remembers.
        const known = await deps.store.dashboards.get(context.payload.repository.full_name.toLowerCase());
        if (known === undefined || known.number === issue.number)
          await forgetDashboard(deps.store, context.payload.repository.full_name);
        return;
      }
      const changes = (context.payload as { changes?: { body?: { from?: string } } }).changes;
      await deps.act(target, (commandDeps) =>
        onDashboardEdit(
          context.octokit,
          {
            target,
            number: issue.number,
            sender: { login: sender.login, type: sender.type },
            body: issue.body ?? "",
            previous: changes?.body?.from ?? null,
          },
          commandDeps,
        ),
      );
    }),
  );
}

function targetOf(installationId: number, fullName: string): RepoTarget {
  const [owner = "", name = ""] = fullName.split("/");
  return { installationId, owner, name, defaultBranch: null };
}

/** The config repin has not read yet (or the repository has none): the default paths. */
const NO_CONFIG = parseRepinConfig("");

/** A push touches a tracked file (by the config remembered from the last read, parsed then) or the config; a commit without file lists (huge pushes) counts as touching. */
export function touchesTracked(commits: readonly Commit[], config: ConfigParseResult = NO_CONFIG): boolean {
  const tracked = trackedPaths(config);
  return commits.some((commit) => {
    if (!commit.added && !commit.modified && !commit.removed) return true;
    return [...(commit.added ?? []), ...(commit.modified ?? []), ...(commit.removed ?? [])].some(
      (path) => path === DEFAULT_CONFIG_FILE || tracked(path),
    );
  });
}
