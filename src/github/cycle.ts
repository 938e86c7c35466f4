import { mapLimit } from "../lookup/index.js";
import type { RegistryViews } from "../registry/index.js";
import type { MarkerKey } from "../proposals/index.js";
import type { ListingPage, Store } from "../store/index.js";
import type { Explainer } from "./explainer.js";
import { describeError, fullName, statusOf, type GitHubClient, type Log, type RepoTarget } from "./client.js";
import type { Locks } from "./locks.js";
import { processRepository, type RepoOutcome } from "./repository.js";

/**
 * The scheduled cycle: list installations (App JWT), then every repository of each (listing
 * pages are conditional requests, so an unchanged listing costs nothing), and process each under
 * its lock with ONE memoized registry for the whole cycle. A failing installation is logged and
 * the cycle goes on.
 */
export interface AppClients {
  /** Authenticated as the App (JWT). */
  app(): Promise<GitHubClient>;
  installation(id: number): Promise<GitHubClient>;
}

export interface CycleDeps {
  readonly store: Store;
  readonly locks: Locks;
  /** Called once per cycle: fresh memoized registry views, one per credential scope. */
  readonly registry: () => RegistryViews;
  readonly log: Log;
  readonly now: () => Date;
  /** The App's bot login (`<slug>[bot]`), asked of GitHub once. */
  readonly botLogin: () => Promise<string>;
  /** Package diffs and advisories for PR bodies (see RepoDeps). */
  readonly explainer?: Explainer;
  /** Seals the commits PR markers name (see RepoDeps). */
  readonly markerKey: MarkerKey;
  /** Repositories processed at once (default 4). */
  readonly concurrency?: number;
}

export interface CycleReport {
  readonly installations: number;
  readonly failedInstallations: number;
  readonly outcomes: RepoOutcome[];
}

export async function runCycle(clients: AppClients, deps: CycleDeps): Promise<CycleReport> {
  const views = deps.registry();
  const appClient = await clients.app();
  const installations = await listInstallations(appClient);
  const outcomes: RepoOutcome[] = [];
  let failedInstallations = 0;
  for (const id of installations) {
    try {
      const client = await clients.installation(id);
      const repos = await listRepositories(client, id, deps.store);
      const done = await mapLimit(repos, deps.concurrency ?? 4, (repo) =>
        deps.locks(fullName(repo), () =>
          processRepository(client, repo, { ...deps, registry: views.forAccount(repo.owner) }),
        ),
      );
      outcomes.push(...done);
    } catch (error) {
      failedInstallations++;
      deps.log.error({ installation: id, reason: describeError(error) }, "installation failed; the cycle goes on");
    }
  }
  return { installations: installations.length, failedInstallations, outcomes };
}

/** What a cycle that only queues did: repositories queued for whichever replica takes them. */
export interface QueuedCycleReport {
  readonly installations: number;
  readonly failedInstallations: number;
  readonly queued: number;
}

/**
 * The scheduled cycle with many replicas (SPEC 12): list installations and their repositories as
 * `runCycle` does, and queue each repository (once: one already queued stays queued) so every
 * replica's workers share the scans. A failing installation is logged and the cycle goes on.
 */
export async function queueCycle(
  clients: AppClients,
  deps: {
    readonly store: Store;
    readonly log: Log;
    readonly now: () => Date;
    /** The work queue's enqueue (its RepoJob). */
    readonly enqueue: (job: {
      installationId: number;
      owner: string;
      repo: string;
      reason: string;
      seenAt: number;
    }) => Promise<void>;
  },
): Promise<QueuedCycleReport> {
  const installations = await listInstallations(await clients.app());
  let queued = 0;
  let failedInstallations = 0;
  for (const id of installations) {
    try {
      const repos = await listRepositories(await clients.installation(id), id, deps.store);
      const seenAt = deps.now().getTime();
      for (const repo of repos) {
        await deps.enqueue({ installationId: id, owner: repo.owner, repo: repo.name, reason: "schedule", seenAt });
        queued++;
      }
    } catch (error) {
      failedInstallations++;
      deps.log.error({ installation: id, reason: describeError(error) }, "installation failed; the cycle goes on");
    }
  }
  return { installations: installations.length, failedInstallations, queued };
}

async function listInstallations(client: GitHubClient): Promise<number[]> {
  const ids: number[] = [];
  for (let page = 1; ; page++) {
    const { data } = await client.request("GET /app/installations", { per_page: 100, page });
    ids.push(...data.filter((installation) => !installation.suspended_at).map((installation) => installation.id));
    if (data.length < 100) return ids;
  }
}

/** The installation's repositories, page by page with If-None-Match; archived ones are left out. */
export async function listRepositories(
  client: GitHubClient,
  installationId: number,
  store: Store,
): Promise<RepoTarget[]> {
  const repos: RepoTarget[] = [];
  for (let page = 1; ; page++) {
    const key = `${installationId}:${page}`;
    const cached = await store.listings.get(key);
    let listing: ListingPage;
    try {
      const response = await client.request("GET /installation/repositories", {
        per_page: 100,
        page,
        headers: cached?.etag ? { "if-none-match": cached.etag } : {},
      });
      listing = {
        etag: response.headers.etag ?? null,
        total: response.data.total_count,
        repos: response.data.repositories.map((r) => ({
          owner: r.owner.login,
          name: r.name,
          defaultBranch: r.default_branch,
          archived: r.archived,
        })),
      };
      await store.listings.put(key, listing);
    } catch (error) {
      if (statusOf(error) !== 304 || !cached) throw error;
      listing = cached;
    }
    repos.push(
      ...listing.repos
        .filter((r) => !r.archived)
        .map((r) => ({ installationId, owner: r.owner, name: r.name, defaultBranch: r.defaultBranch })),
    );
    if (listing.repos.length < 100 || page * 100 >= listing.total) return repos;
  }
}
