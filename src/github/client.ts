import type { Octokit } from "@octokit/rest";

/**
 * What src/github needs from an Octokit: `request` only. Probot's installation client fits, and
 * so does a plain `new Octokit({ baseUrl })`; nothing here ever sees Probot's Context.
 */
export type GitHubClient = Pick<Octokit, "request">;

/** The minimal logger (pino's shape, as `app.log` has it). */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** A repository repin works on, as the installation listing or a webhook names it. */
export interface RepoTarget {
  readonly installationId: number;
  readonly owner: string;
  readonly name: string;
  /** Null when the caller does not know it yet (installation webhooks): read once with repos.get. */
  readonly defaultBranch: string | null;
}

export const fullName = (repo: Pick<RepoTarget, "owner" | "name">): string => `${repo.owner}/${repo.name}`;

/** The HTTP status of an Octokit RequestError, or null for anything else. */
export function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : null;
}

/** A short, secret-free description of a failure for logs (Octokit redacts authorization itself). */
export function describeError(error: unknown): string {
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return (status === null ? message : `${status} ${message}`).slice(0, 300);
}

/** One repository through one client: the first argument of every port call (git, pulls, issues). */
export interface RepoApi {
  readonly client: GitHubClient;
  readonly owner: string;
  readonly repo: string;
}

export const repoApi = (client: GitHubClient, target: Pick<RepoTarget, "owner" | "name">): RepoApi => ({
  client,
  owner: target.owner,
  repo: target.name,
});
