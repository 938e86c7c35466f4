import { statusOf, type RepoApi } from "./client.js";

/**
 * The GitHub port for Git data (one of three: git, pulls, issues; no other file names these
 * routes): branch heads, trees, blobs and commits read, commits written with the Git Data API
 * (tree, commit, ref) so GitHub signs them. Answers are plain data; what they mean is decided
 * elsewhere.
 */
export type HeadRead =
  | { readonly kind: "found"; readonly sha: string; readonly etag: string | null }
  /** 304: the ETag still holds. */
  | { readonly kind: "unchanged" }
  /** 404 or 409: an empty repository has no branch yet. */
  | { readonly kind: "missing" };

/** A branch's head, with If-None-Match when an ETag is known (a 304 costs no rate limit). */
export async function readHead(api: RepoApi, branch: string, etag: string | null): Promise<HeadRead> {
  try {
    const head = await api.client.request("GET /repos/{owner}/{repo}/git/ref/{ref}", {
      owner: api.owner,
      repo: api.repo,
      ref: `heads/${branch}`,
      headers: etag ? { "if-none-match": etag } : {},
    });
    return { kind: "found", sha: head.data.object.sha, etag: head.headers.etag ?? null };
  } catch (error) {
    const status = statusOf(error);
    if (status === 304 && etag) return { kind: "unchanged" };
    if (status === 404 || status === 409) return { kind: "missing" };
    throw error;
  }
}

export interface TreeEntry {
  readonly path: string;
  readonly sha: string;
  readonly mode: string;
  readonly size: number;
}

/** The commit's whole tree in one request: its SHA, its blobs, and whether GitHub cut the list short. */
export async function readTree(
  api: RepoApi,
  commitSha: string,
): Promise<{ sha: string; truncated: boolean; blobs: TreeEntry[] }> {
  const { data } = await api.client.request("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", {
    owner: api.owner,
    repo: api.repo,
    tree_sha: commitSha,
    recursive: "1",
  });
  const blobs = data.tree.flatMap((entry) =>
    entry.type === "blob" && entry.path !== undefined && entry.sha !== undefined
      ? [{ path: entry.path, sha: entry.sha, mode: entry.mode ?? "100644", size: entry.size ?? 0 }]
      : [],
  );
  return { sha: data.sha, truncated: data.truncated, blobs };
}

export async function readBlob(api: RepoApi, sha: string): Promise<Buffer> {
  const { data } = await api.client.request("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", {
    owner: api.owner,
    repo: api.repo,
    file_sha: sha,
  });
  return Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8");
}

export interface CommitRead {
  readonly authorEmail: string;
  readonly committerEmail: string;
  readonly message: string;
}

export async function readCommit(api: RepoApi, sha: string): Promise<CommitRead> {
  const { data } = await api.client.request("GET /repos/{owner}/{repo}/git/commits/{commit_sha}", {
    owner: api.owner,
    repo: api.repo,
    commit_sha: sha,
  });
  return { authorEmail: data.author.email, committerEmail: data.committer.email, message: data.message };
}

export interface NewCommit {
  readonly baseTree: string;
  readonly parent: string;
  readonly files: readonly { readonly path: string; readonly mode: string | undefined; readonly content: string }[];
  readonly message: string;
}

/** One commit on `parent` with only these file contents; GitHub signs it (no author given). */
export async function writeCommit(api: RepoApi, commit: NewCommit): Promise<string> {
  const { owner, repo } = api;
  const tree = await api.client.request("POST /repos/{owner}/{repo}/git/trees", {
    owner,
    repo,
    base_tree: commit.baseTree,
    tree: commit.files.map((file) => ({
      path: file.path,
      mode: file.mode === "100755" ? ("100755" as const) : ("100644" as const),
      type: "blob" as const,
      content: file.content,
    })),
  });
  const written = await api.client.request("POST /repos/{owner}/{repo}/git/commits", {
    owner,
    repo,
    message: commit.message,
    tree: tree.data.sha,
    parents: [commit.parent],
  });
  return written.data.sha;
}

/** Creates the branch at `sha`; false when it exists already (422). */
export async function createBranch(api: RepoApi, branch: string, sha: string): Promise<boolean> {
  try {
    await api.client.request("POST /repos/{owner}/{repo}/git/refs", {
      owner: api.owner,
      repo: api.repo,
      ref: `refs/heads/${branch}`,
      sha,
    });
    return true;
  } catch (error) {
    if (statusOf(error) !== 422) throw error;
    return false;
  }
}

export async function branchHead(api: RepoApi, branch: string): Promise<string> {
  const { data } = await api.client.request("GET /repos/{owner}/{repo}/git/ref/{ref}", {
    owner: api.owner,
    repo: api.repo,
    ref: `heads/${branch}`,
  });
  return data.object.sha;
}

/** Moves the branch to `sha`, whatever it points to now. */
export async function moveBranch(api: RepoApi, branch: string, sha: string): Promise<void> {
  await api.client.request("PATCH /repos/{owner}/{repo}/git/refs/{ref}", {
    owner: api.owner,
    repo: api.repo,
    ref: `heads/${branch}`,
    sha,
    force: true,
  });
}

/** Deletes the branch; one already gone is no failure. */
export async function deleteBranch(api: RepoApi, branch: string): Promise<void> {
  await api.client
    .request("DELETE /repos/{owner}/{repo}/git/refs/{ref}", {
      owner: api.owner,
      repo: api.repo,
      ref: `heads/${branch}`,
    })
    .catch(() => undefined);
}
