// The simulator's in-memory state: everything GitHub keeps that is not a git
// object or ref (those live in the bare repositories on disk).
import type { KeyObject } from "node:crypto";

export type AccountType = "User" | "Organization" | "Bot";
export type PermissionLevel = "admin" | "maintain" | "write" | "triage" | "read" | "none";
export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";
export type ReactionContent = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

export interface Account {
  login: string;
  id: number;
  type: AccountType;
}

export interface App {
  id: number;
  slug: string;
  name: string;
  owner: string;
  publicKey: KeyObject;
  botLogin: string;
  createdAt: string;
}

export interface Installation {
  id: number;
  appId: number;
  account: string;
  /** "all" follows every repository of the account created later too. */
  selection: "all" | "selected";
  repositoryIds: Set<number>;
  createdAt: string;
}

export type TokenOwner =
  | {
      kind: "installation";
      installationId: number;
      repositoryIds: number[] | null;
      /** A workflow token with `permissions: read-all`: every write answers 403. */
      readOnly?: boolean;
    }
  | { kind: "user"; login: string };

export interface Token {
  token: string;
  owner: TokenOwner;
  expiresAt: number;
}

export interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface Comment {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface Reaction {
  id: number;
  subject: "issue_comment" | "review_comment";
  subjectId: number;
  content: ReactionContent;
  user: string;
  createdAt: string;
}

export interface Review {
  id: number;
  user: string;
  state: ReviewState;
  body: string;
  commitId: string;
  submittedAt: string;
}

export interface ReviewComment {
  id: number;
  pullNumber: number;
  body: string;
  user: string;
  path: string;
  createdAt: string;
}

export interface PullData {
  headRef: string;
  baseRef: string;
  /** Last known head sha: kept when the branch is deleted. */
  headSha: string;
  baseSha: string;
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  requestedReviewers: string[];
  requestedTeams: string[];
  reviews: Review[];
  maintainerCanModify: boolean;
}

export interface Issue {
  id: number;
  pullId: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  user: string;
  labels: string[];
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  pull: PullData | null;
}

export interface CheckRun {
  id: number;
  appId: number | null;
  headSha: string;
  name: string;
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  conclusion: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  startedAt: string | null;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotationsCount: number };
}

export interface Dispatch {
  owner: string;
  repo: string;
  eventType: string;
  clientPayload: Record<string, unknown>;
  installationId: number | null;
}

export interface Repo {
  id: number;
  owner: string;
  name: string;
  dir: string;
  defaultBranch: string;
  private: boolean;
  createdAt: string;
  pushedAt: string;
  permissions: Map<string, PermissionLevel>;
  labels: Label[];
  issues: Issue[];
  comments: Comment[];
  reviewComments: ReviewComment[];
  reactions: Reaction[];
  checkRuns: CheckRun[];
  /** Commits GitHub signed: an App's API commits without author or committer, and web merges. */
  verified: Set<string>;
  /** No commit yet (created without files): the Git Data API answers 409 until a first push. */
  empty: boolean;
}

export interface State {
  accounts: Map<string, Account>;
  apps: Map<number, App>;
  installations: Map<number, Installation>;
  tokens: Map<string, Token>;
  repos: Map<string, Repo>;
  dispatches: Dispatch[];
  nextId: () => number;
}

export function createState(): State {
  let id = 1000;
  return {
    accounts: new Map(),
    apps: new Map(),
    installations: new Map(),
    tokens: new Map(),
    repos: new Map(),
    dispatches: [],
    nextId: () => ++id,
  };
}

export function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

/** The account for `login`, created as a user (or a bot for `x[bot]`) on first sight. */
export function account(state: State, login: string, type?: AccountType): Account {
  const key = login.toLowerCase();
  const existing = state.accounts.get(key);
  if (existing) return existing;
  const created: Account = { login, id: state.nextId(), type: type ?? (login.endsWith("[bot]") ? "Bot" : "User") };
  state.accounts.set(key, created);
  return created;
}

export function nextIssueNumber(repo: Repo): number {
  return repo.issues.reduce((max, issue) => Math.max(max, issue.number), 0) + 1;
}

export function installationRepos(state: State, installation: Installation): Repo[] {
  return [...state.repos.values()].filter((repo) =>
    installation.selection === "all"
      ? repo.owner.toLowerCase() === installation.account.toLowerCase()
      : installation.repositoryIds.has(repo.id),
  );
}
