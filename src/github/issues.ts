import { statusOf, type RepoApi } from "./client.js";

/**
 * The GitHub port for issues and what hangs on issues and PRs alike (one of three: git, pulls,
 * issues; no other file names these routes): comments, labels, assignees, reactions, the
 * collaborator permission, and issues themselves (the dashboard). Answers are plain data.
 */
export async function commentBodies(api: RepoApi, number: number): Promise<string[]> {
  const { data } = await api.client.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner: api.owner,
    repo: api.repo,
    issue_number: number,
    per_page: 100,
  });
  return data.map((comment) => comment.body ?? "");
}

export async function addComment(api: RepoApi, number: number, body: string): Promise<void> {
  await api.client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    owner: api.owner,
    repo: api.repo,
    issue_number: number,
    body,
  });
}

export async function addLabels(api: RepoApi, number: number, labels: readonly string[]): Promise<void> {
  await api.client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/labels", {
    owner: api.owner,
    repo: api.repo,
    issue_number: number,
    labels: [...labels],
  });
}

export async function addAssignees(api: RepoApi, number: number, assignees: readonly string[]): Promise<void> {
  await api.client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/assignees", {
    owner: api.owner,
    repo: api.repo,
    issue_number: number,
    assignees: [...assignees],
  });
}

/** 👀 on an issue or PR comment. */
export async function reactToComment(api: RepoApi, commentId: number): Promise<void> {
  await api.client.request("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
    owner: api.owner,
    repo: api.repo,
    comment_id: commentId,
    content: "eyes",
  });
}

/** The user's permission as GitHub answers it; null for 404 (not a collaborator) and 403. */
export async function permissionOf(
  api: RepoApi,
  login: string,
): Promise<{ permission: string; role_name?: string } | null> {
  try {
    const { data } = await api.client.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
      owner: api.owner,
      repo: api.repo,
      username: login,
    });
    return data;
  } catch (error) {
    if (statusOf(error) === 404 || statusOf(error) === 403) return null;
    throw error;
  }
}

export interface IssueView {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly author: string | null;
  readonly isPull: boolean;
}

/** One page (100) of the open issues `creator` opened. */
/** Open issues (and PRs) of the repository, by `creator` when given. */
export async function openIssuesBy(api: RepoApi, creator: string | null, page: number): Promise<IssueView[]> {
  const { data } = await api.client.request("GET /repos/{owner}/{repo}/issues", {
    owner: api.owner,
    repo: api.repo,
    state: "open",
    ...(creator !== null && { creator }),
    per_page: 100,
    page,
  });
  return data.map((issue) => ({
    number: issue.number,
    title: issue.title,
    body: issue.body ?? "",
    author: issue.user?.login ?? null,
    isPull: Boolean(issue.pull_request),
  }));
}

/** Opens an issue; its number and who opened it (the App's bot login, when the App does). */
export async function openIssue(
  api: RepoApi,
  title: string,
  body: string,
): Promise<{ number: number; author: string | null }> {
  const { data } = await api.client.request("POST /repos/{owner}/{repo}/issues", {
    owner: api.owner,
    repo: api.repo,
    title,
    body,
  });
  return { number: data.number, author: data.user?.login ?? null };
}

export async function closeIssue(api: RepoApi, number: number): Promise<void> {
  await api.client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
    owner: api.owner,
    repo: api.repo,
    issue_number: number,
    state: "closed",
  });
}

export async function editIssueBody(api: RepoApi, number: number, body: string): Promise<void> {
  await api.client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
    owner: api.owner,
    repo: api.repo,
    issue_number: number,
    body,
  });
}
