import type { UpdateTagsPolicy } from "../versioning/types.js";

/**
 * The Action's inputs (action.yml) and the runner's environment, checked before anything is
 * asked of GitHub (pure). Actions passes input `x-y` as `INPUT_X-Y`; an unset input is "".
 */
export interface ActionInputs {
  readonly token: string;
  /** The config file's path in the repository. */
  readonly config: string;
  /** Overrides the config's `updateTags`; null keeps it. */
  readonly updateTags: UpdateTagsPolicy | null;
  /** false turns the dashboard off whatever the config says. */
  readonly dashboard: boolean;
  /** The secret marker seals are keyed from; "" when none was given. */
  readonly markerKey: string;
  /** Where the state between runs is kept (relative to the workspace). */
  readonly stateFile: string;
  readonly owner: string;
  readonly repo: string;
  readonly apiUrl: string;
  readonly workspace: string;
  /** The `GITHUB_OUTPUT` file; null outside Actions (outputs are then not written). */
  readonly outputFile: string | null;
}

export type InputsResult =
  { readonly ok: true; readonly inputs: ActionInputs } | { readonly ok: false; readonly error: string };

export const DEFAULT_STATE_FILE = ".repin/action-state.json";
const POLICIES: readonly string[] = ["patch", "minor", "major", "none"];

export function readInputs(env: NodeJS.ProcessEnv): InputsResult {
  const input = (name: string): string => (env[`INPUT_${name.toUpperCase()}`] ?? "").trim();
  const token = input("token");
  if (token === "")
    return fail(
      "the `token` input is empty: pass `${{ github.token }}`, a PAT or an App token (it defaults to github.token)",
    );
  const repository = env.GITHUB_REPOSITORY ?? "";
  const [owner, repo, ...rest] = repository.split("/");
  if (!owner || !repo || rest.length > 0)
    return fail(
      `GITHUB_REPOSITORY must be "owner/name" (got ${JSON.stringify(repository)}): run repin inside a workflow`,
    );
  const updateTags = input("update-tags");
  if (updateTags !== "" && !POLICIES.includes(updateTags))
    return fail(`the \`update-tags\` input must be one of ${POLICIES.join(", ")} (got ${JSON.stringify(updateTags)})`);
  const dashboard = input("dashboard") || "true";
  if (dashboard !== "true" && dashboard !== "false")
    return fail(`the \`dashboard\` input must be true or false (got ${JSON.stringify(dashboard)})`);
  const config = input("config") || ".github/repin.yml";
  const stateFile = input("state-file") || DEFAULT_STATE_FILE;
  for (const [name, path] of [
    ["config", config],
    ["state-file", stateFile],
  ] as const)
    if (!isInsidePath(path))
      return fail(`the \`${name}\` input must be a relative path inside the repository (got ${JSON.stringify(path)})`);
  const apiUrl = (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, "");
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(apiUrl))
    return fail(`GITHUB_API_URL is not an http(s) URL (got ${JSON.stringify(apiUrl)})`);
  return {
    ok: true,
    inputs: {
      token,
      config,
      updateTags: updateTags === "" ? null : (updateTags as UpdateTagsPolicy),
      dashboard: dashboard === "true",
      markerKey: env["INPUT_MARKER-KEY"] ?? "",
      stateFile,
      owner,
      repo,
      apiUrl,
      workspace: env.GITHUB_WORKSPACE || process.cwd(),
      outputFile: env.GITHUB_OUTPUT || null,
    },
  };
}

const fail = (error: string): InputsResult => ({ ok: false, error });

/** A relative path with no `..` part and no backslash (the repository's own `/` separators). */
function isInsidePath(path: string): boolean {
  return !path.startsWith("/") && !path.includes("\\") && path.split("/").every((part) => part !== ".." && part !== "");
}
