// Pure builders of GitHub's response bodies, shaped after the OpenAPI schemas
// in openapi/trimmed.json (the simulator validates every body against them).
import type { GitCommit, GitPerson } from "./git.js";
import type { Account, App, CheckRun, Comment, Installation, Issue, Label, Reaction, Repo, Review } from "./state.js";

export interface Urls {
  /** API base as the client called it, e.g. http://127.0.0.1:1234/api/v3 */
  api: string;
  /** Web base, e.g. http://127.0.0.1:1234 */
  web: string;
}

export function nodeId(kind: string, id: number | string): string {
  return `${kind}_${Buffer.from(String(id)).toString("base64url")}`;
}

export function simpleUser(urls: Urls, account: Account) {
  const u = `${urls.api}/users/${encodeURIComponent(account.login)}`;
  const isBot = account.type === "Bot";
  return {
    login: account.login,
    id: account.id,
    node_id: nodeId(isBot ? "BOT" : account.type === "Organization" ? "O" : "U", account.id),
    avatar_url: `${urls.web}/avatars/u/${account.id}?v=4`,
    gravatar_id: "",
    url: u,
    html_url: isBot ? `${urls.web}/apps/${account.login.replace(/\[bot\]$/, "")}` : `${urls.web}/${account.login}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: account.type,
    user_view_type: "public",
    site_admin: false,
  };
}

export function repository(urls: Urls, repo: Repo, owner: Account, openIssues: number) {
  const r = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const html = `${urls.web}/${repo.owner}/${repo.name}`;
  const host = new URL(urls.web).host;
  return {
    id: repo.id,
    node_id: nodeId("R", repo.id),
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: simpleUser(urls, owner),
    private: repo.private,
    html_url: html,
    description: null,
    fork: false,
    url: r,
    archive_url: `${r}/{archive_format}{/ref}`,
    assignees_url: `${r}/assignees{/user}`,
    blobs_url: `${r}/git/blobs{/sha}`,
    branches_url: `${r}/branches{/branch}`,
    collaborators_url: `${r}/collaborators{/collaborator}`,
    comments_url: `${r}/comments{/number}`,
    commits_url: `${r}/commits{/sha}`,
    compare_url: `${r}/compare/{base}...{head}`,
    contents_url: `${r}/contents/{+path}`,
    contributors_url: `${r}/contributors`,
    deployments_url: `${r}/deployments`,
    downloads_url: `${r}/downloads`,
    events_url: `${r}/events`,
    forks_url: `${r}/forks`,
    git_commits_url: `${r}/git/commits{/sha}`,
    git_refs_url: `${r}/git/refs{/sha}`,
    git_tags_url: `${r}/git/tags{/sha}`,
    git_url: `git://${host}/${repo.owner}/${repo.name}.git`,
    issue_comment_url: `${r}/issues/comments{/number}`,
    issue_events_url: `${r}/issues/events{/number}`,
    issues_url: `${r}/issues{/number}`,
    keys_url: `${r}/keys{/key_id}`,
    labels_url: `${r}/labels{/name}`,
    languages_url: `${r}/languages`,
    merges_url: `${r}/merges`,
    milestones_url: `${r}/milestones{/number}`,
    notifications_url: `${r}/notifications{?since,all,participating}`,
    pulls_url: `${r}/pulls{/number}`,
    releases_url: `${r}/releases{/id}`,
    ssh_url: `git@${host}:${repo.owner}/${repo.name}.git`,
    stargazers_url: `${r}/stargazers`,
    statuses_url: `${r}/statuses/{sha}`,
    subscribers_url: `${r}/subscribers`,
    subscription_url: `${r}/subscription`,
    tags_url: `${r}/tags`,
    teams_url: `${r}/teams`,
    trees_url: `${r}/git/trees{/sha}`,
    clone_url: `${html}.git`,
    mirror_url: null,
    hooks_url: `${r}/hooks`,
    svn_url: html,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues_count: openIssues,
    open_issues: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? "private" : "public",
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.pushedAt,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    allow_rebase_merge: true,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
  };
}

export function fullRepository(urls: Urls, repo: Repo, owner: Account, openIssues: number) {
  return { ...repository(urls, repo, owner, openIssues), network_count: 0, subscribers_count: 0, temp_clone_token: "" };
}

/** What app.yml asks for; an installation grants these unless a test says otherwise. */
export const APP_PERMISSIONS: Readonly<Record<string, "read" | "write">> = {
  actions: "read",
  checks: "write",
  contents: "write",
  issues: "write",
  metadata: "read",
  packages: "read",
  pull_requests: "write",
  statuses: "read",
  workflows: "write",
};
const APP_EVENTS = [
  "installation",
  "installation_repositories",
  "issue_comment",
  "pull_request",
  "pull_request_review",
  "push",
];

export function integration(urls: Urls, app: App, owner: Account, installationsCount: number) {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("A", app.id),
    client_id: `Iv1.${app.id.toString(16).padStart(16, "0")}`,
    owner: simpleUser(urls, owner),
    name: app.name,
    description: null,
    external_url: `${urls.web}/apps/${app.slug}`,
    html_url: `${urls.web}/apps/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.createdAt,
    permissions: APP_PERMISSIONS,
    events: APP_EVENTS,
    installations_count: installationsCount,
  };
}

export function installation(urls: Urls, inst: Installation, app: App, account: Account) {
  return {
    id: inst.id,
    client_id: `Iv1.${app.id.toString(16).padStart(16, "0")}`,
    // apps/list-installations types `account` as allOf [simple-user, enterprise]:
    // carry the enterprise fields too so both schemas of the account hold.
    account: {
      ...simpleUser(urls, account),
      name: account.login,
      slug: account.login,
      created_at: inst.createdAt,
      updated_at: inst.createdAt,
    },
    repository_selection: inst.selection,
    access_tokens_url: `${urls.api}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${urls.api}/installation/repositories`,
    html_url: `${urls.web}/settings/installations/${inst.id}`,
    app_id: app.id,
    app_slug: app.slug,
    target_id: account.id,
    target_type: account.type,
    permissions: inst.permissions,
    events: APP_EVENTS,
    created_at: inst.createdAt,
    updated_at: inst.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

export function gitPerson(person: GitPerson) {
  return { name: person.name, email: person.email, date: person.date };
}

export function gitCommit(urls: Urls, repo: Repo, commit: GitCommit, verified: boolean) {
  const r = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    sha: commit.sha,
    node_id: nodeId("C", commit.sha),
    url: `${r}/git/commits/${commit.sha}`,
    html_url: `${urls.web}/${repo.owner}/${repo.name}/commit/${commit.sha}`,
    author: gitPerson(commit.author),
    committer: gitPerson(commit.committer),
    tree: { sha: commit.tree, url: `${r}/git/trees/${commit.tree}` },
    message: commit.message.replace(/\n$/, ""),
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${r}/git/commits/${sha}`,
      html_url: `${urls.web}/${repo.owner}/${repo.name}/commit/${sha}`,
    })),
    verification: verification(verified, commit.committer.date),
  };
}

function verification(verified: boolean, date: string) {
  return verified
    ? {
        verified: true,
        reason: "valid",
        signature: "-----BEGIN PGP SIGNATURE-----\n(simulated)\n-----END PGP SIGNATURE-----",
        payload: "(simulated)",
        verified_at: date,
      }
    : { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null };
}

/** The `commit` schema (repos/get-commit, list-commits, compare). Authors map to accounts by email. */
export function commit(
  urls: Urls,
  repo: Repo,
  c: GitCommit,
  verified: boolean,
  author: Account | null,
  committer: Account | null,
) {
  const r = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const html = `${urls.web}/${repo.owner}/${repo.name}`;
  return {
    url: `${r}/commits/${c.sha}`,
    sha: c.sha,
    node_id: nodeId("C", c.sha),
    html_url: `${html}/commit/${c.sha}`,
    comments_url: `${r}/commits/${c.sha}/comments`,
    commit: {
      url: `${r}/git/commits/${c.sha}`,
      author: gitPerson(c.author),
      committer: gitPerson(c.committer),
      message: c.message.replace(/\n$/, ""),
      comment_count: 0,
      tree: { sha: c.tree, url: `${r}/git/trees/${c.tree}` },
      verification: verification(verified, c.committer.date),
    },
    author: author ? simpleUser(urls, author) : null,
    committer: committer ? simpleUser(urls, committer) : null,
    parents: c.parents.map((sha) => ({ sha, url: `${r}/commits/${sha}`, html_url: `${html}/commit/${sha}` })),
  };
}

export function gitRef(urls: Urls, repo: Repo, ref: string, sha: string) {
  const r = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    ref,
    node_id: nodeId("REF", `${repo.id}:${ref}`),
    url: `${r}/git/${ref}`,
    object: { type: "commit", sha, url: `${r}/git/commits/${sha}` },
  };
}

export function label(urls: Urls, repo: Repo, l: Label) {
  return {
    id: l.id,
    node_id: nodeId("LA", l.id),
    url: `${urls.api}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    description: l.description,
    color: l.color,
    default: false,
  };
}

export interface IssueContext {
  user: Account;
  assignees: Account[];
  labels: Label[];
  comments: number;
  closedBy: Account | null;
}

export function issue(urls: Urls, repo: Repo, i: Issue, ctx: IssueContext) {
  const r = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const url = `${r}/issues/${i.number}`;
  const assignees = ctx.assignees.map((a) => simpleUser(urls, a));
  const kind = i.pull ? "pull" : "issues";
  return {
    id: i.id,
    node_id: nodeId("I", i.id),
    url,
    repository_url: r,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${urls.web}/${repo.owner}/${repo.name}/${kind}/${i.number}`,
    number: i.number,
    state: i.state,
    state_reason: i.state === "closed" ? (i.pull ? null : "completed") : null,
    title: i.title,
    body: i.body,
    user: simpleUser(urls, ctx.user),
    labels: ctx.labels.map((l) => label(urls, repo, l)),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: ctx.comments,
    closed_at: i.closedAt,
    closed_by: ctx.closedBy ? simpleUser(urls, ctx.closedBy) : null,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    author_association: "NONE",
    ...(i.pull
      ? {
          pull_request: {
            url: `${r}/pulls/${i.number}`,
            html_url: `${urls.web}/${repo.owner}/${repo.name}/pull/${i.number}`,
            diff_url: `${urls.web}/${repo.owner}/${repo.name}/pull/${i.number}.diff`,
            patch_url: `${urls.web}/${repo.owner}/${repo.name}/pull/${i.number}.patch`,
            merged_at: i.pull.mergedAt,
          },
          draft: i.pull.draft,
        }
      : {}),
  };
}

export interface PullContext extends IssueContext {
  repoBody: ReturnType<typeof repository>;
  owner: Account;
  requestedReviewers: Account[];
  mergedBy: Account | null;
}

export function pullSimple(urls: Urls, repo: Repo, i: Issue, ctx: PullContext) {
  const pull = i.pull;
  if (!pull) throw new Error(`#${i.number} is not a pull request`);
  const r = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  const html = `${urls.web}/${repo.owner}/${repo.name}/pull/${i.number}`;
  const url = `${r}/pulls/${i.number}`;
  const side = (ref: string, sha: string) => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: simpleUser(urls, ctx.owner),
    repo: ctx.repoBody,
  });
  const assignees = ctx.assignees.map((a) => simpleUser(urls, a));
  return {
    url,
    id: i.pullId,
    node_id: nodeId("PR", i.pullId),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${r}/issues/${i.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${r}/pulls/comments{/number}`,
    comments_url: `${r}/issues/${i.number}/comments`,
    statuses_url: `${r}/statuses/${pull.headSha}`,
    number: i.number,
    state: i.state,
    locked: false,
    title: i.title,
    user: simpleUser(urls, ctx.user),
    body: i.body,
    // pull-request-simple types a label's description as a plain string
    labels: ctx.labels.map((l) => ({ ...label(urls, repo, l), description: l.description ?? "" })),
    milestone: null,
    active_lock_reason: null,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: assignees[0] ?? null,
    assignees,
    requested_reviewers: ctx.requestedReviewers.map((a) => simpleUser(urls, a)),
    requested_teams: [],
    head: side(pull.headRef, pull.headSha),
    base: side(pull.baseRef, pull.baseSha),
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: `${r}/issues/${i.number}` },
      comments: { href: `${r}/issues/${i.number}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${r}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${r}/statuses/${pull.headSha}` },
    },
    author_association: "NONE",
    auto_merge: null,
    draft: pull.draft,
  };
}

export interface PullStats {
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
  mergeable: boolean | null;
}

export function pullFull(urls: Urls, repo: Repo, i: Issue, ctx: PullContext, stats: PullStats) {
  const pull = i.pull;
  if (!pull) throw new Error(`#${i.number} is not a pull request`);
  return {
    ...pullSimple(urls, repo, i, ctx),
    merged: pull.merged,
    mergeable: i.state === "open" ? stats.mergeable : null,
    rebaseable: i.state === "open" ? stats.mergeable : null,
    mergeable_state: i.state !== "open" ? "unknown" : stats.mergeable === false ? "dirty" : "clean",
    merged_by: ctx.mergedBy ? simpleUser(urls, ctx.mergedBy) : null,
    comments: ctx.comments,
    review_comments: repo.reviewComments.filter((c) => c.pullNumber === i.number).length,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: stats.commits,
    additions: stats.additions,
    deletions: stats.deletions,
    changed_files: stats.changedFiles,
  };
}

export function issueComment(urls: Urls, repo: Repo, c: Comment, user: Account) {
  const r = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    id: c.id,
    node_id: nodeId("IC", c.id),
    url: `${r}/issues/comments/${c.id}`,
    html_url: `${urls.web}/${repo.owner}/${repo.name}/issues/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${r}/issues/${c.issueNumber}`,
    body: c.body,
    user: simpleUser(urls, user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: "NONE",
  };
}

export function reaction(urls: Urls, r: Reaction, user: Account) {
  return {
    id: r.id,
    node_id: nodeId("REA", r.id),
    user: simpleUser(urls, user),
    content: r.content,
    created_at: r.createdAt,
  };
}

export function review(urls: Urls, repo: Repo, pullNumber: number, r: Review, user: Account) {
  const html = `${urls.web}/${repo.owner}/${repo.name}/pull/${pullNumber}`;
  return {
    id: r.id,
    node_id: nodeId("PRR", r.id),
    user: simpleUser(urls, user),
    body: r.body,
    state: r.state,
    html_url: `${html}#pullrequestreview-${r.id}`,
    pull_request_url: `${urls.api}/repos/${repo.owner}/${repo.name}/pulls/${pullNumber}`,
    _links: {
      html: { href: `${html}#pullrequestreview-${r.id}` },
      pull_request: { href: `${urls.api}/repos/${repo.owner}/${repo.name}/pulls/${pullNumber}` },
    },
    submitted_at: r.submittedAt,
    commit_id: r.commitId,
    author_association: "NONE",
  };
}

export function checkRun(urls: Urls, repo: Repo, run: CheckRun, app: ReturnType<typeof integration> | null) {
  const r = `${urls.api}/repos/${repo.owner}/${repo.name}`;
  return {
    id: run.id,
    node_id: nodeId("CR", run.id),
    head_sha: run.headSha,
    external_id: run.externalId,
    url: `${r}/check-runs/${run.id}`,
    html_url: `${urls.web}/${repo.owner}/${repo.name}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotationsCount,
      annotations_url: `${r}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.id },
    app,
    pull_requests: [],
  };
}
