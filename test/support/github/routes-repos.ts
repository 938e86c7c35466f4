// Repository endpoints: the repository, branches, commits, compare, contents,
// repository_dispatch and collaborator permissions.
import * as git from "./git.js";
import { HttpError, refusingEmpty, type RequestContext, type Route, type Shell } from "./http.js";
import * as shapes from "./shapes.js";
import { type PermissionLevel, type Repo } from "./state.js";
import { commitBody, openIssueCount, ownerAccount, paginate, requireString } from "./views.js";

const RAW_ACCEPT = /application\/vnd\.github(\.v3)?\.raw/;

async function resolveOr404(repo: Repo, rev: string): Promise<string> {
  const sha = await git.resolveCommit(repo.dir, rev);
  if (!sha) throw new HttpError(404, `No commit found for the ref ${rev}`);
  return sha;
}

function diffEntries(ctx: RequestContext, repo: Repo, headSha: string, files: git.ChangedFile[]) {
  const r = `${ctx.urls.api}/repos/${repo.owner}/${repo.name}`;
  const web = `${ctx.urls.web}/${repo.owner}/${repo.name}`;
  return files.map((f) => ({
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.additions + f.deletions,
    blob_url: `${web}/blob/${headSha}/${f.filename}`,
    raw_url: `${web}/raw/${headSha}/${f.filename}`,
    contents_url: `${r}/contents/${f.filename}?ref=${headSha}`,
  }));
}

function contentEntry(ctx: RequestContext, repo: Repo, ref: string, entry: git.GitTreeEntry) {
  const r = `${ctx.urls.api}/repos/${repo.owner}/${repo.name}`;
  const type =
    entry.type === "tree"
      ? "dir"
      : entry.type === "commit"
        ? "submodule"
        : entry.mode === "120000"
          ? "symlink"
          : "file";
  const self = `${r}/contents/${entry.path}?ref=${encodeURIComponent(ref)}`;
  const gitUrl = `${r}/git/${entry.type === "tree" ? "trees" : "blobs"}/${entry.sha}`;
  const html = `${ctx.urls.web}/${repo.owner}/${repo.name}/${entry.type === "tree" ? "tree" : "blob"}/${ref}/${entry.path}`;
  return {
    type,
    size: entry.size ?? 0,
    name: entry.path.split("/").pop() ?? entry.path,
    path: entry.path,
    sha: entry.sha,
    url: self,
    git_url: gitUrl,
    html_url: html,
    download_url: type === "file" ? `${ctx.urls.web}/${repo.owner}/${repo.name}/raw/${ref}/${entry.path}` : null,
    _links: { self, git: gitUrl, html },
  };
}

const ROLE_TO_PERMISSION: Record<PermissionLevel, string> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
  none: "none",
};
const RANK: PermissionLevel[] = ["none", "read", "triage", "write", "maintain", "admin"];

/** Commit listings answer 409 on an empty repository, like the Git Data API. */
const COMMIT_OPERATIONS = new Set(["repos/list-commits", "repos/get-commit", "repos/compare-commits"]);

export function repoRoutes(shell: Shell): Route[] {
  return repositoryRoutes(shell).map((route) =>
    COMMIT_OPERATIONS.has(route.operationId) ? refusingEmpty(route) : route,
  );
}

function repositoryRoutes(shell: Shell): Route[] {
  const { state } = shell;
  const content: Route["handle"] = async (ctx) => {
    const repo = ctx.repo;
    if (repo.empty) throw new HttpError(404, "This repository is empty.");
    const ref = ctx.query.get("ref") || repo.defaultBranch;
    const sha = await resolveOr404(repo, ref);
    const path = (ctx.params.path ?? "").replace(/^\/+|\/+$/g, "");
    const entry = path === "" ? null : await git.treeEntry(repo.dir, sha, path);
    if (path !== "" && !entry) throw new HttpError(404, "Not Found");
    if (!entry || entry.type === "tree") {
      const listing = await git.listTree(repo.dir, entry ? entry.sha : sha, false);
      const inDir = listing.map((e) => ({ ...e, path: path === "" ? e.path : `${path}/${e.path}` }));
      return { status: 200, body: inDir.map((e) => contentEntry(ctx, repo, ref, e)) };
    }
    const data = await git.readBlob(repo.dir, entry.sha);
    if (RAW_ACCEPT.test(String(ctx.headers.accept ?? ""))) {
      return { status: 200, raw: { contentType: "text/plain; charset=utf-8", data } };
    }
    const base = contentEntry(ctx, repo, ref, entry);
    return {
      status: 200,
      body: {
        ...base,
        size: data.length,
        encoding: "base64",
        content: (data.toString("base64").match(/.{1,60}/g) ?? [""]).join("\n") + "\n",
      },
    };
  };
  return [
    {
      method: "GET",
      template: "/repos/{owner}/{repo}",
      operationId: "repos/get",
      auth: "token",
      async handle(ctx) {
        return {
          status: 200,
          body: shapes.fullRepository(ctx.urls, ctx.repo, ownerAccount(state, ctx.repo), openIssueCount(ctx.repo)),
        };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/branches/{branch+}",
      operationId: "repos/get-branch",
      auth: "token",
      async handle(ctx) {
        const branch = ctx.params.branch ?? "";
        const sha = await git.resolveCommit(ctx.repo.dir, `refs/heads/${branch}`);
        if (!sha) throw new HttpError(404, "Branch not found");
        const r = `${ctx.urls.api}/repos/${ctx.repo.owner}/${ctx.repo.name}`;
        return {
          status: 200,
          body: {
            name: branch,
            commit: await commitBody(shell, ctx.urls, ctx.repo, sha),
            _links: {
              self: `${r}/branches/${branch}`,
              html: `${ctx.urls.web}/${ctx.repo.owner}/${ctx.repo.name}/tree/${branch}`,
            },
            protected: false,
            protection: {
              enabled: false,
              required_status_checks: { enforcement_level: "off", contexts: [], checks: [] },
            },
            protection_url: `${r}/branches/${branch}/protection`,
          },
        };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/commits",
      operationId: "repos/list-commits",
      auth: "token",
      async handle(ctx) {
        const head = await resolveOr404(ctx.repo, ctx.query.get("sha") || ctx.repo.defaultBranch);
        const shas = (await git.revList(ctx.repo.dir, head, null, ctx.query.get("path") || undefined)).reverse();
        const page = paginate(ctx, shas);
        const body = [];
        for (const sha of page.items) body.push(await commitBody(shell, ctx.urls, ctx.repo, sha));
        return { status: 200, body, headers: page.headers };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/commits/{ref+}",
      operationId: "repos/get-commit",
      auth: "token",
      async handle(ctx) {
        const sha = await git.resolveCommit(ctx.repo.dir, ctx.params.ref ?? "");
        if (!sha) throw new HttpError(422, `No commit found for SHA: ${ctx.params.ref ?? ""}`);
        const c = await git.readCommit(ctx.repo.dir, sha);
        const files = await git.changedFiles(ctx.repo.dir, c.parents[0] ?? git.EMPTY_TREE, sha);
        const additions = files.reduce((n, f) => n + f.additions, 0);
        const deletions = files.reduce((n, f) => n + f.deletions, 0);
        const body = {
          ...(await commitBody(shell, ctx.urls, ctx.repo, sha)),
          stats: { total: additions + deletions, additions, deletions },
          files: diffEntries(ctx, ctx.repo, sha, files),
        };
        return { status: 200, body };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/compare/{basehead+}",
      operationId: "repos/compare-commits",
      auth: "token",
      async handle(ctx) {
        const repo = ctx.repo;
        const [baseRaw = "", headRaw = ""] = (ctx.params.basehead ?? "").split("...");
        const strip = (s: string) => s.replace(/^[^:]+:/, "");
        const base = await git.resolveCommit(repo.dir, strip(baseRaw));
        const head = await git.resolveCommit(repo.dir, strip(headRaw));
        if (!base || !head) throw new HttpError(404, "Not Found");
        const mb = await git.mergeBase(repo.dir, base, head);
        const ahead = await git.revList(repo.dir, head, base);
        const behind = await git.revList(repo.dir, base, head);
        const status =
          base === head ? "identical" : behind.length === 0 ? "ahead" : ahead.length === 0 ? "behind" : "diverged";
        const commits = [];
        for (const sha of ahead) commits.push(await commitBody(shell, ctx.urls, repo, sha));
        const files = await git.changedFiles(repo.dir, mb ?? base, head);
        const web = `${ctx.urls.web}/${repo.owner}/${repo.name}`;
        return {
          status: 200,
          body: {
            url: `${ctx.urls.api}/repos/${repo.owner}/${repo.name}/compare/${baseRaw}...${headRaw}`,
            html_url: `${web}/compare/${baseRaw}...${headRaw}`,
            permalink_url: `${web}/compare/${repo.owner}:${base.slice(0, 7)}...${repo.owner}:${head.slice(0, 7)}`,
            diff_url: `${web}/compare/${baseRaw}...${headRaw}.diff`,
            patch_url: `${web}/compare/${baseRaw}...${headRaw}.patch`,
            base_commit: await commitBody(shell, ctx.urls, repo, base),
            merge_base_commit: await commitBody(shell, ctx.urls, repo, mb ?? base),
            status,
            ahead_by: ahead.length,
            behind_by: behind.length,
            total_commits: ahead.length,
            commits,
            files: diffEntries(ctx, repo, head, files),
          },
        };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/contents",
      operationId: "repos/get-content",
      auth: "token",
      handle: content,
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/contents/{path+}",
      operationId: "repos/get-content",
      auth: "token",
      handle: content,
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/dispatches",
      operationId: "repos/create-dispatch-event",
      auth: "token",
      write: true,
      async handle(ctx) {
        const eventType = requireString(ctx.body, "event_type");
        const payload = ctx.body.client_payload;
        if (payload !== undefined && (payload === null || typeof payload !== "object" || Array.isArray(payload))) {
          throw new HttpError(422, "Invalid request.\n\nFor 'properties/client_payload', is not an object.");
        }
        state.dispatches.push({
          owner: ctx.repo.owner,
          repo: ctx.repo.name,
          eventType,
          clientPayload: (payload ?? {}) as Record<string, unknown>,
          installationId: ctx.auth.kind === "installation" ? ctx.auth.installation.id : null,
        });
        return { status: 204 };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/collaborators/{username}/permission",
      operationId: "repos/get-collaborator-permission-level",
      auth: "token",
      async handle(ctx) {
        // GitHub answers 404 for a login that is no account; an account that is no collaborator
        // gets its level on the repository (read on a public one, none on a private one).
        const known = state.accounts.get((ctx.params.username ?? "").toLowerCase());
        if (!known) throw new HttpError(404, "Not Found");
        const user = known;
        const level = collaboratorLevel(ctx.repo, user.login);
        const at = (min: PermissionLevel) => RANK.indexOf(level) >= RANK.indexOf(min);
        const collaborator = {
          ...shapes.simpleUser(ctx.urls, user),
          permissions: {
            admin: at("admin"),
            maintain: at("maintain"),
            push: at("write"),
            triage: at("triage"),
            pull: at("read"),
          },
          role_name: level,
        };
        return { status: 200, body: { permission: ROLE_TO_PERMISSION[level], role_name: level, user: collaborator } };
      },
    },
  ];
}

/** A repository's owner is admin; others have what tests set, or read on a public repository. */
export function collaboratorLevel(repo: Repo, login: string): PermissionLevel {
  if (login.toLowerCase() === repo.owner.toLowerCase()) return "admin";
  return repo.permissions.get(login.toLowerCase()) ?? (repo.private ? "none" : "read");
}
