// Git Data API: blobs, trees, commits and refs, all backed by real git objects.
import * as git from "./git.js";
import { HttpError, refusingEmpty, type RequestContext, type Route, type Shell } from "./http.js";
import * as shapes from "./shapes.js";
import type { Repo } from "./state.js";
import { actor, nowIso, personFor, requireString } from "./views.js";

const MODE_TYPES: Record<string, "blob" | "tree" | "commit"> = {
  "100644": "blob",
  "100755": "blob",
  "120000": "blob",
  "040000": "tree",
  "160000": "commit",
};

function invalid(message: string, extra: Record<string, unknown> = {}): HttpError {
  return new HttpError(422, message, extra);
}

/**
 * GitHub refuses an App's ref update that brings a commit touching `.github/workflows/` unless the
 * installation granted `workflows: write` (its push error says so; the REST answer here is a 422 with
 * the same words).
 */
async function refuseWorkflowEdits(ctx: RequestContext, sha: string): Promise<void> {
  if (ctx.auth.kind !== "installation" || ctx.auth.installation.permissions.workflows === "write") return;
  const workflow = (await git.newCommitPaths(ctx.repo.dir, sha)).find((path) => path.startsWith(".github/workflows/"));
  if (workflow !== undefined)
    throw invalid(
      `refusing to allow a GitHub App to create or update workflow \`${workflow}\` without \`workflows\` permission`,
    );
}

function fullRef(ref: string): string {
  return ref.startsWith("refs/") ? ref : `refs/${ref}`;
}

function base64Lines(data: Buffer): string {
  return (data.toString("base64").match(/.{1,60}/g) ?? [""]).join("\n") + "\n";
}

async function treeBody(ctx: RequestContext, repo: Repo, sha: string, recursive: boolean, limit: number) {
  const r = `${ctx.urls.api}/repos/${repo.owner}/${repo.name}`;
  const entries = await git.listTree(repo.dir, sha, recursive);
  const truncated = entries.length > limit;
  return {
    sha,
    url: `${r}/git/trees/${sha}`,
    truncated,
    tree: entries.slice(0, limit).map((e) => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.type === "blob"
        ? { size: e.size ?? 0, url: `${r}/git/blobs/${e.sha}` }
        : e.type === "tree"
          ? { url: `${r}/git/trees/${e.sha}` }
          : {}),
    })),
  };
}

interface TreeInput {
  path?: unknown;
  mode?: unknown;
  type?: unknown;
  sha?: unknown;
  content?: unknown;
}

async function toChange(repo: Repo, entry: TreeInput): Promise<git.TreeChange> {
  const path = typeof entry.path === "string" ? entry.path : "";
  const mode = typeof entry.mode === "string" ? entry.mode.padStart(6, "0") : "";
  const type = MODE_TYPES[mode];
  if (!path || !type)
    throw invalid("Invalid tree info", { errors: [`tree.mode "${String(entry.mode)}" or tree.path is invalid`] });
  if (typeof entry.content === "string") {
    return { path, mode, type: "blob", sha: await git.writeBlob(repo.dir, Buffer.from(entry.content, "utf8")) };
  }
  if (entry.sha === null) return { path, mode, type, sha: null };
  if (typeof entry.sha !== "string") throw invalid("Must supply either tree.sha or tree.content");
  if (type !== "commit" && (await git.objectType(repo.dir, entry.sha)) !== type) {
    throw invalid(`tree.sha ${entry.sha} is not a valid ${type}`);
  }
  return { path, mode, type, sha: entry.sha };
}

/** Every Git Data route answers 409 on an empty repository, as GitHub does. */
export function gitRoutes(shell: Shell, treeLimit: number): Route[] {
  return gitDataRoutes(shell, treeLimit).map(refusingEmpty);
}

function gitDataRoutes(shell: Shell, treeLimit: number): Route[] {
  return [
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/git/blobs/{file_sha}",
      operationId: "git/get-blob",
      auth: "token",
      async handle(ctx) {
        const sha = ctx.params.file_sha ?? "";
        if ((await git.objectType(ctx.repo.dir, sha)) !== "blob") throw new HttpError(404, "Not Found");
        const data = await git.readBlob(ctx.repo.dir, sha);
        const url = `${ctx.urls.api}/repos/${ctx.repo.owner}/${ctx.repo.name}/git/blobs/${sha}`;
        return {
          status: 200,
          body: {
            sha,
            node_id: shapes.nodeId("B", sha),
            size: data.length,
            url,
            content: base64Lines(data),
            encoding: "base64",
          },
        };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/git/blobs",
      operationId: "git/create-blob",
      auth: "token",
      write: true,
      async handle(ctx) {
        const content = ctx.body.content;
        const encoding = ctx.body.encoding ?? "utf-8";
        if (typeof content !== "string") throw invalid('Invalid request.\n\n"content" wasn\'t supplied.');
        if (encoding !== "utf-8" && encoding !== "utf8" && encoding !== "base64")
          throw invalid(`encoding must be utf-8 or base64`);
        const data = encoding === "base64" ? Buffer.from(content, "base64") : Buffer.from(content, "utf8");
        const sha = await git.writeBlob(ctx.repo.dir, data);
        return {
          status: 201,
          body: { sha, url: `${ctx.urls.api}/repos/${ctx.repo.owner}/${ctx.repo.name}/git/blobs/${sha}` },
        };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/git/trees/{tree_sha+}",
      operationId: "git/get-tree",
      auth: "token",
      async handle(ctx) {
        const sha = await git.resolveTree(ctx.repo.dir, ctx.params.tree_sha ?? "");
        if (!sha) throw new HttpError(404, "Not Found");
        const recursive = (ctx.query.get("recursive") ?? "") !== "";
        return { status: 200, body: await treeBody(ctx, ctx.repo, sha, recursive, treeLimit) };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/git/trees",
      operationId: "git/create-tree",
      auth: "token",
      write: true,
      async handle(ctx) {
        const entries = ctx.body.tree;
        if (!Array.isArray(entries)) throw invalid('Invalid request.\n\n"tree" wasn\'t supplied.');
        let base: string | null = null;
        if (typeof ctx.body.base_tree === "string") {
          base = await git.resolveTree(ctx.repo.dir, ctx.body.base_tree);
          if (!base || (await git.objectType(ctx.repo.dir, ctx.body.base_tree)) !== "tree")
            throw invalid("Invalid tree info", { errors: ["base_tree is not a valid tree oid"] });
        }
        const changes: git.TreeChange[] = [];
        for (const entry of entries as TreeInput[]) changes.push(await toChange(ctx.repo, entry));
        const sha = await git.buildTree(ctx.repo.dir, base, changes);
        return { status: 201, body: await treeBody(ctx, ctx.repo, sha, false, treeLimit) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/git/commits/{commit_sha}",
      operationId: "git/get-commit",
      auth: "token",
      async handle(ctx) {
        const sha = ctx.params.commit_sha ?? "";
        if ((await git.objectType(ctx.repo.dir, sha)) !== "commit") throw new HttpError(404, "Not Found");
        const commit = await git.readCommit(ctx.repo.dir, sha);
        return { status: 200, body: shapes.gitCommit(ctx.urls, ctx.repo, commit, ctx.repo.verified.has(sha)) };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/git/commits",
      operationId: "git/create-commit",
      auth: "token",
      write: true,
      async handle(ctx) {
        const repo = ctx.repo;
        const message = requireString(ctx.body, "message");
        const tree = requireString(ctx.body, "tree");
        if ((await git.objectType(repo.dir, tree)) !== "tree") throw invalid("Tree SHA does not exist");
        const parents = Array.isArray(ctx.body.parents) ? (ctx.body.parents as unknown[]) : [];
        for (const parent of parents) {
          if (typeof parent !== "string" || (await git.objectType(repo.dir, parent)) !== "commit")
            throw invalid("Parent SHA does not exist or is not a commit object");
        }
        const date = nowIso(shell);
        const fallback = personFor(actor(ctx), date);
        const person = (value: unknown): git.GitPerson => {
          if (!value || typeof value !== "object") return fallback;
          const p = value as Record<string, unknown>;
          return {
            name: String(p.name ?? fallback.name),
            email: String(p.email ?? fallback.email),
            date: typeof p.date === "string" ? p.date : date,
          };
        };
        const author = person(ctx.body.author);
        const committer = ctx.body.committer ? person(ctx.body.committer) : author;
        const sha = await git.commitTree(repo.dir, tree, parents as string[], message, author, committer);
        // GitHub signs an API commit only when an App installation makes it and leaves author and
        // committer to GitHub; a commit that names either, or one made with a user's token, is unsigned.
        const signed =
          ctx.auth.kind === "installation" && ctx.body.author === undefined && ctx.body.committer === undefined;
        if (signed) repo.verified.add(sha);
        return { status: 201, body: shapes.gitCommit(ctx.urls, repo, await git.readCommit(repo.dir, sha), signed) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/git/ref/{ref+}",
      operationId: "git/get-ref",
      auth: "token",
      async handle(ctx) {
        const ref = fullRef(ctx.params.ref ?? "");
        const sha = (await git.listRefs(ctx.repo.dir)).find((r) => r.ref === ref)?.sha;
        if (!sha) throw new HttpError(404, "Not Found");
        return { status: 200, body: shapes.gitRef(ctx.urls, ctx.repo, ref, sha) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/git/matching-refs/{ref+}",
      operationId: "git/list-matching-refs",
      auth: "token",
      async handle(ctx) {
        const prefix = fullRef(ctx.params.ref ?? "");
        const refs = (await git.listRefs(ctx.repo.dir)).filter((r) => r.ref.startsWith(prefix));
        return { status: 200, body: refs.map((r) => shapes.gitRef(ctx.urls, ctx.repo, r.ref, r.sha)) };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/git/refs",
      operationId: "git/create-ref",
      auth: "token",
      write: true,
      async handle(ctx) {
        const repo = ctx.repo;
        const ref = requireString(ctx.body, "ref");
        const sha = requireString(ctx.body, "sha");
        if (!ref.startsWith("refs/") || ref.split("/").length < 3)
          throw invalid("Reference name must start with 'refs/' and have at least two slashes.");
        if (!(await git.checkRefFormat(repo.dir, ref))) throw invalid(`${ref} is not a valid ref name.`);
        if ((await git.objectType(repo.dir, sha)) !== "commit") throw invalid("Object does not exist");
        await refuseWorkflowEdits(ctx, sha);
        if (!(await git.updateRef(repo.dir, ref, sha, null))) throw invalid("Reference already exists");
        return {
          status: 201,
          body: shapes.gitRef(ctx.urls, repo, ref, sha),
          headers: { location: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/git/${ref}` },
        };
      },
    },
    {
      method: "PATCH",
      template: "/repos/{owner}/{repo}/git/refs/{ref+}",
      operationId: "git/update-ref",
      auth: "token",
      write: true,
      async handle(ctx) {
        const repo = ctx.repo;
        const ref = fullRef(ctx.params.ref ?? "");
        const sha = requireString(ctx.body, "sha");
        const current = (await git.listRefs(repo.dir)).find((r) => r.ref === ref)?.sha;
        if (!current) throw invalid("Reference does not exist");
        if ((await git.objectType(repo.dir, sha)) !== "commit") throw invalid("Object does not exist");
        if (ctx.body.force !== true && !(await git.isAncestor(repo.dir, current, sha)))
          throw invalid("Update is not a fast forward");
        await refuseWorkflowEdits(ctx, sha);
        if (!(await git.updateRef(repo.dir, ref, sha, current))) throw invalid("Reference cannot be updated");
        if (ref === `refs/heads/${repo.defaultBranch}`) repo.pushedAt = nowIso(shell);
        return { status: 200, body: shapes.gitRef(ctx.urls, repo, ref, sha) };
      },
    },
    {
      method: "DELETE",
      template: "/repos/{owner}/{repo}/git/refs/{ref+}",
      operationId: "git/delete-ref",
      auth: "token",
      write: true,
      async handle(ctx) {
        const ref = fullRef(ctx.params.ref ?? "");
        if (!(await git.listRefs(ctx.repo.dir)).some((r) => r.ref === ref)) throw invalid("Reference does not exist");
        await git.deleteRef(ctx.repo.dir, ref);
        return { status: 204 };
      },
    },
  ];
}
