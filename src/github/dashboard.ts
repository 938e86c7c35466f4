import {
  addIgnore,
  DASHBOARD_MARKER,
  DASHBOARD_TITLE,
  dashboardNeedsEdit,
  parseDashboard,
  renderDashboard,
  type Ignore,
} from "../dashboard/index.js";
import { fullName, repoApi, type GitHubClient, type Log, type RepoApi, type RepoTarget } from "./client.js";
import { canAct } from "../commands/index.js";
import {
  addComment,
  closeIssue,
  editIssueBody,
  openIssue,
  openIssuesBy,
  permissionOf,
  type IssueView,
} from "./issues.js";
import type { Store } from "../store/index.js";
import { repoKeyOf, type DashboardMemory } from "./memory.js";

/**
 * The dashboard issue on GitHub (the body itself is src/dashboard's). Found cheaply: the store
 * keeps its number, body and ignores, so a cycle with nothing new asks nothing; on a cold start
 * it is found by listing the open issues the App created (`creator=<app>[bot]`) with the title
 * and marker. It is edited only when the rendered body differs (`dashboardNeedsEdit`). Closing
 * it starts over: repin forgets it and opens a new one, and the closed one's ignores no longer
 * count (`dashboard: false` is how to turn it off).
 *
 * One per repository, even when two processes (a rolling deploy) both found none and both opened
 * one: the oldest (lowest number) wins. Right after opening one, repin looks again; if an older one
 * exists it adopts it, writes its own ignores into it and closes its own with a pointer. A cold
 * lookup that finds several does the same with every newer one, after the next write, so an ignore
 * recorded in any of them is kept.
 */
const MAX_PAGES = 10;

export async function loadDashboard(
  client: GitHubClient,
  target: RepoTarget,
  store: Store,
  botLogin: string,
): Promise<DashboardMemory> {
  const key = repoKeyOf(fullName(target));
  const known = await store.dashboards.get(key);
  if (known) return known;
  const [oldest, ...newer] = await findDashboards(client, target, botLogin);
  const entry: DashboardMemory = oldest
    ? { number: oldest.number, body: oldest.body, ignores: mergeIgnores(oldest, newer) }
    : { number: null, body: "", ignores: [] };
  // Duplicates found by a cold lookup are closed once the oldest shows their ignores.
  if (newer.length > 0) entry.duplicates = newer.map((issue) => issue.number);
  await store.dashboards.put(key, entry);
  return entry;
}

/** The login a workflow's `github.token` acts as: the Action's, unless it runs with a PAT or App token. */
export const ACTIONS_BOT = "github-actions[bot]";

/**
 * Every open dashboard repin opened, oldest first: first those its own login opened (one cheap
 * `creator=` listing); when there are none, one opened by repin under another identity — the
 * Action with `github.token` (`github-actions[bot]`), or with a writer's PAT — listed without
 * `creator`. Another App's issue is never repin's dashboard, however alike it looks.
 */
async function findDashboards(client: GitHubClient, target: RepoTarget, botLogin: string): Promise<IssueView[]> {
  const api = repoApi(client, target);
  const own = await listDashboards(api, botLogin, (author) => author === botLogin);
  if (own.length > 0) return own;
  const writers = new Map<string, boolean>();
  const trusted = async (author: string | null): Promise<boolean> => {
    if (author === null) return false;
    if (author === ACTIONS_BOT || author === botLogin) return true;
    if (author.toLowerCase().endsWith("[bot]")) return false;
    if (!writers.has(author)) writers.set(author, canAct(await permissionOf(api, author)));
    return writers.get(author)!;
  };
  return listDashboards(api, null, trusted);
}

async function listDashboards(
  api: RepoApi,
  creator: string | null,
  trusted: (author: string | null) => boolean | Promise<boolean>,
): Promise<IssueView[]> {
  const found: IssueView[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const issues = await openIssuesBy(api, creator, page);
    for (const issue of issues)
      if (!issue.isPull && issue.title === DASHBOARD_TITLE && issue.body.includes(DASHBOARD_MARKER))
        if (await trusted(issue.author)) found.push(issue);
    if (issues.length < 100) break;
  }
  return found.sort((a, b) => a.number - b.number);
}

/** The oldest's ignores and every duplicate's (a duplicate's broken data block adds nothing). */
function mergeIgnores(oldest: IssueView, others: readonly IssueView[]): Ignore[] {
  return others.reduce(
    (ignores, other) => union(ignores, parseDashboard(other.body).ignores),
    parseDashboard(oldest.body).ignores,
  );
}

function union(ignores: readonly Ignore[], more: readonly Ignore[]): Ignore[] {
  return more.reduce((all, ignore) => addIgnore(all, ignore), [...ignores]);
}

/** Creates or edits the issue when `next` differs from what it shows; true when it wrote. */
export async function writeDashboard(
  client: GitHubClient,
  target: RepoTarget,
  entry: DashboardMemory,
  next: string,
  deps: { readonly log: Log; readonly store: Store },
): Promise<boolean> {
  try {
    return await write(client, target, entry, next, deps.log);
  } finally {
    // What was written (or shown: `state`) is remembered even when a later write failed.
    await deps.store.dashboards.put(repoKeyOf(fullName(target)), entry);
  }
}

async function write(
  client: GitHubClient,
  target: RepoTarget,
  entry: DashboardMemory,
  next: string,
  log: Log,
): Promise<boolean> {
  const api = repoApi(client, target);
  if (entry.number === null) {
    const opened = await openIssue(api, DASHBOARD_TITLE, next);
    entry.number = opened.number;
    entry.body = next;
    log.info({ repo: fullName(target), issue: entry.number }, "dashboard issue created");
    if (opened.author !== null)
      await yieldToOlder(client, target, entry, { opened: opened.number, botLogin: opened.author, log });
    return true;
  }
  let wrote = false;
  if (dashboardNeedsEdit(entry.body, next)) {
    await editIssueBody(api, entry.number, next);
    entry.body = next;
    wrote = true;
  }
  const duplicates = entry.duplicates ?? [];
  for (const duplicate of duplicates) {
    await closeDuplicate(api, duplicate, entry.number, log);
    entry.duplicates = entry.duplicates?.filter((number) => number !== duplicate);
  }
  delete entry.duplicates;
  return wrote || duplicates.length > 0;
}

/**
 * Another process may have opened one at the same time: if an older one exists, it is the
 * dashboard; it gets this one's ignores (re-rendered from the state just shown), and this one is closed.
 */
async function yieldToOlder(
  client: GitHubClient,
  target: RepoTarget,
  entry: DashboardMemory,
  options: { readonly opened: number; readonly botLogin: string; readonly log: Log },
): Promise<void> {
  const [oldest] = await findDashboards(client, target, options.botLogin);
  if (oldest === undefined || oldest.number >= options.opened) return;
  const api = repoApi(client, target);
  const ignores = union(parseDashboard(oldest.body).ignores, entry.ignores);
  entry.number = oldest.number;
  entry.body = oldest.body;
  entry.ignores = ignores;
  if (entry.state !== undefined) {
    const merged = renderDashboard({ ...entry.state, ignores });
    if (dashboardNeedsEdit(oldest.body, merged)) {
      await editIssueBody(api, oldest.number, merged);
      entry.body = merged;
    }
  }
  await closeDuplicate(api, options.opened, oldest.number, options.log);
}

async function closeDuplicate(api: RepoApi, duplicate: number, kept: number, log: Log): Promise<void> {
  await addComment(
    api,
    duplicate,
    `repin keeps one dashboard per repository: #${kept} is the one (opened first). This duplicate is closed; its ignores are listed there.`,
  );
  await closeIssue(api, duplicate);
  log.info({ repo: `${api.owner}/${api.repo}`, issue: duplicate, kept }, "duplicate dashboard issue closed");
}
