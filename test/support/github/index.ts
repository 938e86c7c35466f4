// A stateful GitHub API simulator for repin's end-to-end tests.
//
// A real HTTP server on 127.0.0.1 (free port) serving the REST subset repin
// uses, at `/` and at `/api/v3/` (GHE style: GHE_HOST=sim.host, GHE_PROTOCOL=http).
// Each repository is a bare git repository in a temp dir: blobs, trees, commits
// and refs are git's own objects, so tests can `git diff` what the App wrote.
// Every JSON body is validated against GitHub's OpenAPI response schema
// (openapi/trimmed.json, made by scripts/trim-github-openapi.mjs).
//
//   const sim = await startGitHubSimulator({ validate?, rateLimit?, treeLimit? });
//   sim.url / sim.apiUrl / sim.host / sim.stop()
// Apps and auth (JWT RS256 checked with the App's public key; tokens `ghs_…`
// reach only their installation's repositories; anything else is a 401/404):
//   sim.createApp({ appId, privateKeyPem | publicKey, slug?, name?, owner? }) → { id, slug, botLogin }
//   sim.createInstallation({ appId, account, id?, repositories?: "all" | "selected" }) → { id }
//   sim.addRepository(installationId, owner, repo) / removeRepository(...)
//   sim.createInstallationToken(installationId, { readOnly? }) / sim.createUserToken(login) → token
//     (readOnly: every write answers 403 "Resource not accessible by integration", as GitHub does)
// Repositories and git (test-side "human" actions; they do not count as writes):
//   await sim.createRepo(owner, repo, { defaultBranch?, files?, installationId?, private?, author? }) → { id, dir, headSha }
//   await sim.createEmptyRepo(owner, repo, { defaultBranch?, installationId?, private? }) → { id }
//     (no commit: Git Data and commit listings answer 409 "Git Repository is empty.", contents 404)
//   seedRepos(sim, owner, [{ name, files }], { installationId?, defaultBranch? }) → [{ name, id, headSha }]
//     (seed.ts: writes the git objects from Node, for benches with thousands of repositories)
//   await sim.commitFiles(owner, repo, branch, { path: content | null }, { author?, message?, from? }) → sha
//   await sim.readFile(owner, repo, ref, path) → string | null
//   await sim.gitDiff(owner, repo, base, head) → unified diff text
//   await sim.resolve(owner, repo, ref) / readCommit(...) (with `verified`) / branches(owner, repo)
//     (verified: GitHub signs an App installation's API commit that names no author or committer,
//     and web merges; a commit naming either, made with a user token, or pushed is unsigned)
//   sim.setPermission(owner, repo, user, "admin" | "maintain" | "write" | "triage" | "read" | "none")
// Pulls, issues, comments:
//   await sim.createPull(owner, repo, { head, base?, title, body?, user }) → number
//   await sim.mergePull(owner, repo, n, { by, method?: "merge" | "squash" | "fast-forward" }) → merge sha
//   sim.closePull(owner, repo, n, { by? }); sim.addReview(owner, repo, n, { user, state, body? })
//   sim.addComment(owner, repo, n, { user, body }); sim.addReviewComment(owner, repo, n, { user, body, path })
//   sim.issues/pulls/comments/reactions/checkRuns(owner, repo) and sim.dispatches(): state snapshots
// Faults, clock and observability:
//   sim.injectFault({ method?, path: RegExp | string, status: 500 | 502 | 403 | 429, retryAfter?, rateLimited?, times? })
//     (path is matched as sent, still URL-encoded, without the /api/v3 prefix and the query string;
//     a fault answers after authentication, instead of the handler, and never counts as a write)
//   sim.clearFaults(); sim.advanceTime(ms)
//   sim.requests: { method, path (as sent), query, status, operationId, installationId, rateLimited, fault }[]
//   sim.writes() / writeLog(): successful state-changing API calls; sim.rateLimitedRequests(): excludes 304s
//   sim.resetLog(); sim.schemaViolations(): responses that did not fit GitHub's schema (assert empty)
//   sim.unservedRequests(): `METHOD /path` of requests no route serves; they get 501, never a 404
//     that repin would read as "empty repository" or "not a writer" (assert empty)
// In a child process (process.ts + serve.ts), so a bench measures its own memory:
//   const child = await startSimulatorProcess(options); await child.call("seed", …); await child.stop()
// Every GET answers with an ETag; a matching If-None-Match gets a 304 that is
// not counted against the rate limit. Responses carry x-ratelimit-* headers.
export {
  startGitHubSimulator,
  type GitHubSimulator,
  type SimulatorOptions,
  type CreateAppOptions,
  type CreateRepoOptions,
  type FileChanges,
} from "./simulator.js";
export type { Fault, LoggedRequest } from "./http.js";
export type { SchemaViolation } from "./schema.js";
export type { PermissionLevel, ReviewState, Issue, Comment, Dispatch, CheckRun } from "./state.js";
export { signAppJwt } from "./app-jwt.js";
export { seedRepos, gitObject, type SeedRepo, type SeedOptions } from "./seed.js";
export { startSimulatorProcess, type SimulatorProcess, type Counters } from "./process.js";
