import {
  addIgnore,
  DASHBOARD_MARKER,
  DASHBOARD_TITLE,
  dashboardNeedsEdit,
  dashboardSealOf,
  parseDashboard,
  renderDashboard,
  withDashboardSeal,
  type Ignore,
} from "../dashboard/index.js";
import { dashboardSeal, isDashboardSeal, type MarkerKey } from "../proposals/index.js";
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
 * it is found by listing the open issues with the title and marker (first those the App created,
 * `creator=<app>[bot]`). Its body carries a seal, an HMAC of the repository and the issue number
 * keyed like PR markers (the Action's `marker-key`, the App's `REPIN_MARKER_KEY`): a dashboard
 * whose seal verifies is repin's whoever opened it (the Action with an App token, a PAT), one
 * whose seal does not verify never is. Only a dashboard opened before dashboards were sealed is
 * judged by who opened it (see findDashboards). A new dashboard gets its seal right after it is
 * opened (the number is GitHub's), and every body repin writes keeps it.
 * It is edited only when the rendered body differs (`dashboardNeedsEdit`). Closing
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

/** Who repin is here: the login it acts as, and the key its markers and dashboard are sealed with. */
export interface DashboardOwner {
  readonly botLogin: string;
  readonly key: MarkerKey;
}

export async function ownerOf(deps: {
  readonly botLogin: () => Promise<string>;
  readonly markerKey: MarkerKey;
}): Promise<DashboardOwner> {
  return { botLogin: await deps.botLogin(), key: deps.markerKey };
}

export async function loadDashboard(
  client: GitHubClient,
  target: RepoTarget,
  store: Store,
  owner: DashboardOwner,
): Promise<DashboardMemory> {
  const key = repoKeyOf(fullName(target));
  const known = await store.dashboards.get(key);
  if (known) return known;
  const [oldest, ...newer] = await findDashboards(client, target, owner);
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
 * Every open dashboard of repin's, oldest first: first among those its own login opened (one cheap
 * `creator=` listing); when there are none, among every open issue — the Action with an App token
 * or a PAT opens them under another login. A sealed one counts only when its seal verifies, whoever
 * opened it. An unsealed one (from before dashboards were sealed) counts when repin's own login,
 * `github-actions[bot]` or a writer opened it; another App's issue never does.
 */
async function findDashboards(client: GitHubClient, target: RepoTarget, owner: DashboardOwner): Promise<IssueView[]> {
  const api = repoApi(client, target);
  const repo = fullName(target);
  const sealState = (issue: IssueView): "valid" | "invalid" | "none" => {
    const seal = dashboardSealOf(issue.body);
    if (seal === null) return "none";
    return isDashboardSeal(owner.key, repo, issue.number, seal) ? "valid" : "invalid";
  };
  const own = await listDashboards(
    api,
    owner.botLogin,
    (issue) => issue.author === owner.botLogin && sealState(issue) !== "invalid",
  );
  if (own.length > 0) return own;
  const writers = new Map<string, boolean>();
  const trusted = async (issue: IssueView): Promise<boolean> => {
    const sealed = sealState(issue);
    if (sealed !== "none") return sealed === "valid";
    const author = issue.author;
    if (author === null) return false;
    if (author === ACTIONS_BOT || author === owner.botLogin) return true;
    if (author.toLowerCase().endsWith("[bot]")) return false;
    if (!writers.has(author)) writers.set(author, canAct(await permissionOf(api, author)));
    return writers.get(author)!;
  };
  return listDashboards(api, null, trusted);
}

async function listDashboards(
  api: RepoApi,
  creator: string | null,
  trusted: (issue: IssueView) => boolean | Promise<boolean>,
): Promise<IssueView[]> {
  const found: IssueView[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const issues = await openIssuesBy(api, creator, page);
    for (const issue of issues)
      if (!issue.isPull && issue.title === DASHBOARD_TITLE && issue.body.includes(DASHBOARD_MARKER))
        if (await trusted(issue)) found.push(issue);
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
  deps: { readonly log: Log; readonly store: Store; readonly markerKey: MarkerKey },
): Promise<boolean> {
  try {
    return await write(client, target, entry, next, deps);
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
  deps: { readonly log: Log; readonly markerKey: MarkerKey },
): Promise<boolean> {
  const { log, markerKey } = deps;
  const api = repoApi(client, target);
  const sealed = (number: number, body: string) =>
    withDashboardSeal(body, dashboardSeal(markerKey, fullName(target), number));
  if (entry.number === null) {
    const opened = await openIssue(api, DASHBOARD_TITLE, next);
    entry.number = opened.number;
    entry.body = next;
    log.info({ repo: fullName(target), issue: entry.number }, "dashboard issue created");
    // The seal names the issue's number, which GitHub gives only now.
    const body = sealed(opened.number, next);
    await editIssueBody(api, opened.number, body);
    entry.body = body;
    if (opened.author !== null) {
      const owner = { botLogin: opened.author, key: markerKey };
      await yieldToOlder(client, target, entry, { opened: opened.number, owner, sealed, log });
    }
    return true;
  }
  let wrote = false;
  const body = sealed(entry.number, next);
  if (dashboardNeedsEdit(entry.body, body)) {
    await editIssueBody(api, entry.number, body);
    entry.body = body;
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
  options: {
    readonly opened: number;
    readonly owner: DashboardOwner;
    readonly sealed: (number: number, body: string) => string;
    readonly log: Log;
  },
): Promise<void> {
  const [oldest] = await findDashboards(client, target, options.owner);
  if (oldest === undefined || oldest.number >= options.opened) return;
  const api = repoApi(client, target);
  const ignores = union(parseDashboard(oldest.body).ignores, entry.ignores);
  entry.number = oldest.number;
  entry.body = oldest.body;
  entry.ignores = ignores;
  if (entry.state !== undefined) {
    const merged = options.sealed(oldest.number, renderDashboard({ ...entry.state, ignores }));
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
