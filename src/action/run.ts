import { resolve } from "node:path";
import { Octokit } from "@octokit/rest";
import { toJsonRow } from "../cli/output.js";
import { parseRepinConfig, type ConfigParseResult } from "../config/index.js";
import {
  ACTIONS_BOT,
  describeError,
  fullName,
  knownFiles,
  planRepository,
  processRepository,
  readRepository,
  statusOf,
  type GitHubClient,
  type Log,
  type ReadOptions,
  type RepoTarget,
} from "../github/index.js";
import { markerKey } from "../proposals/index.js";
import {
  createRegistry,
  diskCache,
  dockerKeychain,
  listFromEnv,
  memoizeRegistry,
  type Registry,
} from "../registry/index.js";
import { cacheDirs, diskInventoryCache } from "./caches.js";
import { actionExplainer } from "./explain.js";
import { readInputs, type ActionInputs } from "./inputs.js";
import { annotate, writeOutputs, type Console } from "./output.js";
import { loadState, saveState, seedFromCreation, type ActionState } from "./state.js";

/**
 * One Action run (SPEC 14): the App's reconcile (`processRepository`) for the repository the
 * workflow runs in, with the workflow's token instead of an installation. Every failure ends as
 * one `::error::` line and exit status 1; the token is never printed (errors are Octokit's, which
 * redact it). The outputs and the state file are written only after a run that finished.
 */
export interface ActionIo {
  readonly stdout: Console;
  readonly env: NodeJS.ProcessEnv;
  readonly now?: () => Date;
}

/** Per GitHub request: a black-holed API fails the step instead of hanging it. */
const GITHUB_TIMEOUT_MS = 60_000;

export async function runAction(io: ActionIo): Promise<number> {
  const parsed = readInputs(io.env);
  if (!parsed.ok) return failed(io, parsed.error);
  const inputs = parsed.inputs;
  const client = githubClient(inputs);
  let defaultBranch: string;
  try {
    const { data } = await client.request("GET /repos/{owner}/{repo}", { owner: inputs.owner, repo: inputs.repo });
    defaultBranch = data.default_branch;
  } catch (error) {
    return failed(io, githubProblem(error, inputs));
  }
  const statePath = resolve(inputs.workspace, inputs.stateFile);
  const state = await loadState(statePath);
  if (state.problem !== null) annotate(io.stdout, "warning", state.problem);
  if (inputs.markerKey === "")
    annotate(
      io.stdout,
      "warning",
      "no `marker-key` input: PR markers are sealed with a key anyone can know; pass a secret (see README)",
    );
  const warn = (message: string) => annotate(io.stdout, "warning", message);
  const caches = cacheDirs(statePath);
  const explaining = actionExplainer(
    io.env,
    { inventories: diskInventoryCache(caches.inventories, state.store.inventories), verdicts: state.store.verdicts },
    warn,
  );
  if (!explaining.ok) return failed(io, explaining.error);
  const registry = memoizeRegistry(
    createRegistry({
      keychain: dockerKeychain(io.env, warn),
      insecureRegistries: listFromEnv(io.env.REPIN_INSECURE_REGISTRIES),
      cache: diskCache(caches.registry),
    }),
  );
  const target: RepoTarget = { installationId: 0, owner: inputs.owner, name: inputs.repo, defaultBranch };
  const read: ReadOptions = { configFile: inputs.config, parseConfig: (text) => withInputs(text, inputs) };
  const log = plainLog(io.stdout);
  await seedClocks(client, target, { state, read, registry });
  const outcome = await processRepository(client, target, {
    store: state.store,
    registry,
    log,
    now: io.now ?? (() => new Date()),
    // The login `github.token` acts as; a PAT's or App token's PRs are recognised by their markers.
    botLogin: () => Promise.resolve(ACTIONS_BOT),
    markerKey: markerKey(inputs.markerKey === "" ? `repin action ${inputs.owner}/${inputs.repo}` : inputs.markerKey),
    publicMarkerKey: inputs.markerKey === "",
    explainer: explaining.explainer,
    read,
    configCheck: false,
  });
  switch (outcome.kind) {
    case "failed":
      return failed(io, `${outcome.repo}: ${hint(outcome.reason)}`);
    case "config-error":
      return failed(io, `invalid repin config: ${outcome.reason}`);
    case "empty":
    case "unchanged":
      return finish(io, { inputs, state, statePath, rows: "[]", prs: [] });
    case "reconciled":
    case "outside-schedule": {
      const { report } = outcome;
      io.stdout.write(
        `repin: ${outcome.updates.length} references; PRs opened ${list(report.created)}, updated ${list(report.updated)}, closed ${list(report.closed)}\n`,
      );
      const contents = await knownFiles(state.store, fullName(target));
      const rows = JSON.stringify(outcome.updates.map((update) => toJsonRow(update, contents)));
      return finish(io, { inputs, state, statePath, rows, prs: [...report.created, ...report.updated] });
    }
  }
}

async function finish(
  io: ActionIo,
  done: { inputs: ActionInputs; state: ActionState; statePath: string; rows: string; prs: readonly number[] },
): Promise<number> {
  try {
    await saveState(done.statePath, done.state);
    if (done.inputs.outputFile !== null)
      await writeOutputs(done.inputs.outputFile, { updates: done.rows, prs: JSON.stringify(done.prs) });
  } catch (error) {
    return failed(io, `could not write the state file or the outputs: ${describeError(error)}`);
  }
  return 0;
}

function failed(io: ActionIo, message: string): number {
  annotate(io.stdout, "error", `repin: ${message}`);
  return 1;
}

const list = (numbers: readonly number[]) => (numbers.length === 0 ? "none" : numbers.map((n) => `#${n}`).join(", "));

function githubClient(inputs: ActionInputs): GitHubClient {
  const quiet = () => undefined;
  return new Octokit({
    auth: inputs.token,
    baseUrl: inputs.apiUrl,
    userAgent: "repin-action",
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    request: {
      fetch: (url: string, init?: RequestInit) =>
        fetch(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(GITHUB_TIMEOUT_MS) }),
    },
  });
}

/** The config as the repository writes it, with the `update-tags` and `dashboard` inputs over it. */
function withInputs(text: string, inputs: ActionInputs): ConfigParseResult {
  const parsed = parseRepinConfig(text, inputs.config);
  if (!parsed.ok) return parsed;
  const config = {
    ...parsed.config,
    ...(inputs.updateTags !== null && { updateTags: inputs.updateTags }),
    ...(!inputs.dashboard && { dashboard: false }),
  };
  return { ok: true, config };
}

/**
 * Without a state file, minimumAge counts from each image's creation time: plan once (the
 * registry view is memoized, so the reconcile after it asks nothing twice) and start those clocks.
 */
async function seedClocks(
  client: GitHubClient,
  target: RepoTarget,
  deps: { readonly state: ActionState; readonly read: ReadOptions; readonly registry: Registry },
): Promise<void> {
  if (deps.state.loaded) return;
  try {
    const read = await readRepository(client, target, deps.state.store, deps.read);
    if (read.kind === "empty" || !read.repo.config.ok || read.repo.config.config.minimumAge === undefined) return;
    const { updates } = await planRepository(read.repo, read.repo.config.config, deps.registry);
    await seedFromCreation(deps.state, updates);
  } catch {
    // The reconcile reads the same again and reports the failure as the run's outcome.
  }
}

/** A GitHub failure before any work, said in terms of what to fix. */
function githubProblem(error: unknown, inputs: ActionInputs): string {
  const status = statusOf(error);
  const where = `${inputs.owner}/${inputs.repo}`;
  // Octokit reports a connection that failed as a status 500 without a response.
  if (status === null || (error as { response?: unknown }).response === undefined) {
    const detail = error instanceof Error ? error.message : String(error);
    return `cannot reach the GitHub API at ${inputs.apiUrl}: ${detail}`;
  }
  if (status === 404) return `the token cannot see ${where} (404): check the \`token\` input`;
  return hint(describeError(error));
}

/** A refused token's error, with what to change. */
function hint(reason: string): string {
  if (reason.startsWith("401 "))
    return `GitHub refused the token (${reason}): check the \`token\` input; it may have expired`;
  if (reason.startsWith("403 "))
    return `the token may not do this (${reason}): give the workflow \`permissions: contents: write, pull-requests: write, issues: write\`, or pass a PAT or App token that has them`;
  return reason;
}

/** repin's log lines as plain workflow log text (no workflow commands: the one error is the run's). */
function plainLog(out: Console): Log {
  const line = (level: string) => (obj: object, msg?: string) => {
    out.write(`${level} ${msg ?? ""} ${JSON.stringify(obj)}\n`.replace(/^(\s*)::/gm, "$1: :"));
  };
  return { info: line("info"), warn: line("warning"), error: line("error"), debug: () => undefined };
}
