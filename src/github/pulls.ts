import type { Review } from "../proposals/index.js";
import type { RepoApi } from "./client.js";

/**
 * The GitHub port for pull requests (one of three: git, pulls, issues; no other file names these
 * routes): list, read, open and edit PRs, their reviews and requested reviewers. Answers are plain
 * data; which PRs are repin's and what to do about them is decided elsewhere.
 */
export interface Pull {
  readonly number: number;
  readonly open: boolean;
  readonly merged: boolean;
  /** The head branch, and whether it is a branch of this repository (not a fork's). */
  readonly branch: string;
  readonly sameRepo: boolean;
  readonly headSha: string;
  /** Who opened it. */
  readonly author: string | null;
  readonly body: string | null;
}

interface PullData {
  readonly number: number;
  readonly state: string;
  readonly merged_at: string | null;
  readonly user: { readonly login: string } | null;
  readonly body: string | null;
  readonly head: { readonly ref: string; readonly sha: string; readonly repo: { readonly id: number | bigint } | null };
  readonly base: { readonly repo: { readonly id: number | bigint } };
}

const pullOf = (data: PullData): Pull => ({
  number: data.number,
  open: data.state === "open",
  merged: data.merged_at !== null,
  branch: data.head.ref,
  sameRepo: data.head.repo?.id === data.base.repo.id,
  headSha: data.head.sha,
  author: data.user?.login ?? null,
  body: data.body,
});

/** Every open PR, page by page. */
export async function openPulls(api: RepoApi): Promise<Pull[]> {
  const found: Pull[] = [];
  for (let page = 1; ; page++) {
    const { data } = await api.client.request("GET /repos/{owner}/{repo}/pulls", {
      owner: api.owner,
      repo: api.repo,
      state: "open",
      per_page: 100,
      page,
    });
    found.push(...data.map(pullOf));
    if (data.length < 100) return found;
  }
}

/** The closed PRs from `branch` of this repository (the newest 100). */
export async function closedPulls(api: RepoApi, branch: string): Promise<Pull[]> {
  const { data } = await api.client.request("GET /repos/{owner}/{repo}/pulls", {
    owner: api.owner,
    repo: api.repo,
    state: "closed",
    head: `${api.owner}:${branch}`,
    per_page: 100,
  });
  return data.map(pullOf);
}

export async function readPull(api: RepoApi, number: number): Promise<Pull> {
  const { data } = await api.client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
    owner: api.owner,
    repo: api.repo,
    pull_number: number,
  });
  return pullOf(data);
}

export async function openPull(
  api: RepoApi,
  pull: { readonly title: string; readonly branch: string; readonly base: string; readonly body: string },
): Promise<number> {
  const { data } = await api.client.request("POST /repos/{owner}/{repo}/pulls", {
    owner: api.owner,
    repo: api.repo,
    title: pull.title,
    head: pull.branch,
    base: pull.base,
    body: pull.body,
  });
  return data.number;
}

export async function editPull(
  api: RepoApi,
  number: number,
  edit: { readonly title?: string; readonly body?: string; readonly state?: "closed" },
): Promise<void> {
  await api.client.request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", {
    owner: api.owner,
    repo: api.repo,
    pull_number: number,
    ...edit,
  });
}

/** The PR's reviews, oldest first (up to 1,000). */
export async function reviewsOf(api: RepoApi, number: number): Promise<Review[]> {
  const reviews: Review[] = [];
  for (let page = 1; page <= 10; page++) {
    const { data } = await api.client.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
      owner: api.owner,
      repo: api.repo,
      pull_number: number,
      per_page: 100,
      page,
    });
    reviews.push(
      ...data.map((review) => ({ id: Number(review.id), user: review.user?.login ?? "", state: review.state })),
    );
    if (data.length < 100) break;
  }
  return reviews;
}

export async function requestReviewers(
  api: RepoApi,
  number: number,
  reviewers: readonly string[],
  teamReviewers: readonly string[],
): Promise<void> {
  await api.client.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers", {
    owner: api.owner,
    repo: api.repo,
    pull_number: number,
    reviewers: [...reviewers],
    team_reviewers: [...teamReviewers],
  });
}

/** 👀 on a PR review comment. */
export async function reactToReviewComment(api: RepoApi, commentId: number): Promise<void> {
  await api.client.request("POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions", {
    owner: api.owner,
    repo: api.repo,
    comment_id: commentId,
    content: "eyes",
  });
}
