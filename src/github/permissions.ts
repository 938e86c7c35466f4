import type { GitHubClient } from "./client.js";

type TokenAuth = (options: { type: "installation" }) => Promise<{ permissions?: Record<string, string> } | undefined>;

/**
 * Whether the installation granted `workflows: write` (SPEC 5), from the permissions GitHub returned
 * with its token (the installation's permissions; Octokit caches the token, so this asks nothing
 * new). A client that cannot say (a plain Octokit with a fixed token) is taken at its word: GitHub
 * then answers for itself.
 */
export async function canWriteWorkflows(client: GitHubClient): Promise<boolean> {
  const auth = (client as { auth?: TokenAuth }).auth;
  if (typeof auth !== "function") return true;
  const permissions = (await auth({ type: "installation" }))?.permissions;
  return permissions === undefined || permissions.workflows === "write";
}
