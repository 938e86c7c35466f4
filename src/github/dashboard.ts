import { DASHBOARD_MARKER, DASHBOARD_TITLE, dashboardNeedsEdit, parseDashboard } from "../dashboard/index.js";
import { fullName, repoApi, type GitHubClient, type Log, type RepoTarget } from "./client.js";
import { editIssueBody, openIssue, openIssuesBy } from "./issues.js";
import type { DashboardMemory, RepinMemory } from "./memory.js";

/**
 * The dashboard issue on GitHub (the body itself is src/dashboard's). Found cheaply: memory
 * keeps its number, body and ignores, so a cycle with nothing new asks nothing; on a cold start
 * it is found by listing the open issues the App created (`creator=<app>[bot]`) with the title
 * and marker. It is edited only when the rendered body differs (`dashboardNeedsEdit`). Closing
 * it starts over: repin forgets it and opens a new one, and the closed one's ignores no longer
 * count (`dashboard: false` is how to turn it off).
 */
const MAX_PAGES = 10;

export async function loadDashboard(
  client: GitHubClient,
  target: RepoTarget,
  memory: RepinMemory,
  botLogin: string,
): Promise<DashboardMemory> {
  const key = fullName(target).toLowerCase();
  const known = memory.dashboards.get(key);
  if (known) return known;
  const found = await findDashboard(client, target, botLogin);
  const entry: DashboardMemory = found
    ? { number: found.number, body: found.body, ignores: parseDashboard(found.body).ignores }
    : { number: null, body: "", ignores: [] };
  memory.dashboards.set(key, entry);
  return entry;
}

async function findDashboard(
  client: GitHubClient,
  target: RepoTarget,
  botLogin: string,
): Promise<{ number: number; body: string } | null> {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const issues = await openIssuesBy(repoApi(client, target), botLogin, page);
    const issue = issues.find(
      (i) => !i.isPull && i.title === DASHBOARD_TITLE && i.author === botLogin && i.body.includes(DASHBOARD_MARKER),
    );
    if (issue) return { number: issue.number, body: issue.body };
    if (issues.length < 100) return null;
  }
  return null;
}

/** Creates or edits the issue when `next` differs from what it shows; true when it wrote. */
export async function writeDashboard(
  client: GitHubClient,
  target: RepoTarget,
  entry: DashboardMemory,
  next: string,
  log: Log,
): Promise<boolean> {
  const api = repoApi(client, target);
  if (entry.number !== null && !dashboardNeedsEdit(entry.body, next)) return false;
  if (entry.number === null) {
    entry.number = await openIssue(api, DASHBOARD_TITLE, next);
    log.info({ repo: fullName(target), issue: entry.number }, "dashboard issue created");
  } else {
    await editIssueBody(api, entry.number, next);
  }
  entry.body = next;
  return true;
}
