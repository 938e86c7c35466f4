import { DEFAULT_CONFIG_FILE, type ConfigParseResult } from "../config/index.js";
import { fullName, type GitHubClient, type RepoTarget } from "./client.js";
import { shortHash } from "../proposals/index.js";
import type { Store } from "../store/index.js";

/**
 * The `repin/config` check run on the default branch head (SPEC 7): `failure` with file, line,
 * reason and an annotation at that line while `.github/repin.yml` does not validate, `success`
 * once it does. Written only when its state changes for that head: the store keeps the last one
 * per repository, and on a cold start the head's existing check is read once before writing.
 * A repository without a config file gets no check (unless its last one failed: deleting the
 * file fixes it).
 */
export const CONFIG_CHECK = "repin/config";

export async function syncConfigCheck(
  client: GitHubClient,
  target: RepoTarget,
  headSha: string,
  configText: string,
  parsed: ConfigParseResult,
  store: Store,
): Promise<boolean> {
  const key = fullName(target).toLowerCase();
  const last = await store.checks.get(key);
  if (configText === "" && parsed.ok && !last?.includes(" failure ")) return false;
  const output = parsed.ok
    ? {
        title: "repin config is valid",
        summary: `\`${DEFAULT_CONFIG_FILE}\` validates; repin opens and updates PRs here.`,
      }
    : {
        title: `${parsed.error.file}:${parsed.error.line}: invalid repin config`,
        summary: `repin opens and updates no PRs in this repository until this is fixed.\n\n${parsed.error.file}, line ${parsed.error.line}: ${parsed.error.reason}`,
        annotations: [
          {
            path: parsed.error.file,
            start_line: parsed.error.line,
            end_line: parsed.error.line,
            annotation_level: "failure" as const,
            message: parsed.error.reason,
          },
        ],
      };
  const conclusion = parsed.ok ? "success" : "failure";
  const state = `${headSha} ${conclusion} ${shortHash(output.summary)}`;
  if (last === state) return false;
  if (last === undefined && (await alreadyShown(client, target, headSha, conclusion, output.title))) {
    await store.checks.put(key, state);
    return false;
  }
  await client.request("POST /repos/{owner}/{repo}/check-runs", {
    owner: target.owner,
    repo: target.name,
    name: CONFIG_CHECK,
    head_sha: headSha,
    status: "completed",
    conclusion,
    output,
  });
  await store.checks.put(key, state);
  return true;
}

/** After a restart: whether the head already shows this check (one request, cold start only). */
async function alreadyShown(
  client: GitHubClient,
  target: RepoTarget,
  headSha: string,
  conclusion: string,
  title: string,
): Promise<boolean> {
  const { data } = await client.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", {
    owner: target.owner,
    repo: target.name,
    ref: headSha,
    check_name: CONFIG_CHECK,
    per_page: 1,
  });
  const latest = data.check_runs[0];
  return latest !== undefined && latest.conclusion === conclusion && latest.output.title === title;
}
