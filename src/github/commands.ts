import {
  canAct,
  isBotSender,
  parseCommands,
  renderReply,
  type Command,
  type CommandOutcome,
  type Sender,
} from "../commands/index.js";
import { addIgnore, parseDashboard, removeIgnores, shortDigest, validIgnore, type Ignore } from "../dashboard/index.js";
import {
  BRANCH_PREFIX,
  GROUP_ALL_KEY,
  declinedTarget,
  imageOfKey,
  parseMarker,
  trustedCommit,
  withMarker,
  type ForceMode,
  type Marker,
  type MarkerKey,
} from "../proposals/index.js";
import { describeError, fullName, repoApi, type GitHubClient, type RepoTarget } from "./client.js";
import { loadDashboard, ownerOf } from "./dashboard.js";
import { deleteBranch } from "./git.js";
import { addComment, permissionOf, reactToComment } from "./issues.js";
import { closedPulls, editPull, reactToReviewComment, readPull } from "./pulls.js";
import { readRepository } from "./read.js";
import type { Recent } from "../store/index.js";
import { repoKeyOf, type DashboardMemory } from "./memory.js";
import { processRepository, saveIgnores, type RepoDeps, type RepoRequest } from "./repository.js";

/**
 * `/repin` commands and dashboard edits, acted on (the parsing and wording are src/commands').
 * Order: a bot's text is dropped with no API call; the sender's permission is asked of GitHub
 * (never the payload's author_association) before anything else; a reader gets no reaction and
 * one short refusal at most once per reader, issue and hour (`refusals`), and nothing else
 * happens; a writer gets 👀, the commands run in order and one reply gives the results.
 * The caller holds the repository's lock. Command text is data: only parsed, never echoed raw.
 * PR commands act only on repin's own PRs (see repinPr): from a `repin/` branch of the same
 * repository, opened by the App or sealed with its marker key, so a marker copied into someone
 * else's PR or comment means nothing.
 */
export interface CommandEvent {
  readonly target: RepoTarget;
  /** The issue or PR the text is on. */
  readonly number: number;
  readonly isPull: boolean;
  readonly sender: Sender;
  readonly body: string;
  /** What gets the 👀; null for review bodies (GitHub has no reactions on reviews). */
  readonly reaction: { readonly kind: "issue_comment" | "review_comment"; readonly id: number } | null;
}

/** A repin PR a command is about. */
export interface RepinPr {
  readonly number: number;
  readonly branch: string;
  readonly open: boolean;
  readonly headSha: string;
  readonly body: string;
  readonly marker: Marker;
}

/** The slot for `/repin explain`: the reply's markdown for this PR. Absent: explain is unknown. */
export type ExplainCommand = (client: GitHubClient, target: RepoTarget, pr: RepinPr) => Promise<string>;

export interface CommandDeps extends RepoDeps {
  readonly explain?: ExplainCommand;
  /** Refusals already sent (key: repository, issue, reader); absent: every reader comment is answered. */
  readonly refusals?: Recent;
}

/** A reader is told no once per issue per hour: a stream of reader comments costs one permission read each. */
export const REFUSAL_INTERVAL_MS = 3_600_000;

export type CommandResult = "none" | "bot" | "refused" | "acted";

export async function runCommands(
  client: GitHubClient,
  event: CommandEvent,
  deps: CommandDeps,
): Promise<CommandResult> {
  if (isBotSender(event.sender)) return "bot";
  const commands = parseCommands(event.body);
  if (commands.length === 0) return "none";
  if (!(await isWriter(client, event.target, event.sender.login))) {
    const key = `${fullName(event.target).toLowerCase()}#${event.number}:${event.sender.login.toLowerCase()}`;
    if ((await deps.refusals?.first(key, deps.now().getTime())) ?? true)
      await reply(client, event, renderReply({ kind: "refused", command: commands[0]! }));
    return "refused";
  }
  await react(client, event).catch((error: unknown) =>
    deps.log.warn({ repo: fullName(event.target), reason: describeError(error) }, "could not react"),
  );
  const pr = event.isPull
    ? await repinPr(client, event.target, event.number, { botLogin: await deps.botLogin(), key: deps.markerKey })
    : null;
  const replies: string[] = [];
  for (const command of commands) replies.push(await runOne(client, event, command, pr, deps));
  await reply(client, event, replies.join("\n\n"));
  return "acted";
}

async function runOne(
  client: GitHubClient,
  event: CommandEvent,
  command: Command,
  pr: RepinPr | null,
  deps: CommandDeps,
): Promise<string> {
  const fail = (reason: string) => renderReply({ kind: "failed", command, reason });
  const outcome = async (done: CommandOutcome, request: RepoRequest): Promise<string> => {
    const result = await processRepository(client, event.target, deps, request);
    if (result.kind === "failed" || result.kind === "config-error") return fail(result.reason);
    return renderReply(done);
  };
  switch (command.kind) {
    case "unknown":
      return renderReply({ kind: "unknown", text: command.text });
    case "help":
      return renderReply({ kind: "done", command: "help" });
    case "explain":
      if (!deps.explain || !pr) return renderReply({ kind: "unknown", text: "explain" });
      return deps.explain(client, event.target, pr);
    case "scan":
      return outcome({ kind: "done", command: "scan" }, { fresh: true });
    case "rebase":
    case "recreate": {
      if (!pr?.open) return fail("this works only on an open repin PR");
      const result = await processRepository(client, event.target, deps, {
        force: new Map<string, ForceMode>([[pr.branch, command.kind]]),
      });
      if (result.kind === "failed" || result.kind === "config-error") return fail(result.reason);
      const refused =
        result.kind === "reconciled" || result.kind === "outside-schedule"
          ? result.report.refused.find((r) => r.branch === pr.branch)
          : undefined;
      return refused ? fail(refused.reason) : renderReply({ kind: "done", command: command.kind });
    }
    case "ignore-digest":
    case "ignore-image": {
      if (!pr) return fail("this works only on a repin PR");
      if (pr.marker.key === GROUP_ALL_KEY)
        return fail("this PR groups several images; ignore one with the config's `ignore` list");
      const kind = command.kind === "ignore-digest" ? "digest" : "image";
      const dashboard = await dashboardOf(client, event.target, deps);
      if (dashboard === "invalid") return fail("`.github/repin.yml` does not validate; fix it first");
      const image = imageOf(pr.marker);
      if (dashboard !== null) {
        const ignore = validIgnore({
          kind,
          image,
          tag: pr.marker.tag,
          // On a tag update, "this digest" is the tag it moves to (SPEC 5: "not this tag").
          ...(kind === "digest" && declinedTarget(pr.marker)),
          reason: "command",
          by: event.sender.login,
          pr: pr.number,
          at: deps.now().toISOString(),
        });
        if (ignore === null) return fail("this PR's image or digest cannot be recorded");
        dashboard.ignores = addIgnore(dashboard.ignores, ignore);
        // Recorded before the PR is closed: a crash in between leaves an open PR, never a lost ignore.
        await saveIgnores(client, event.target, dashboard, deps);
      }
      if (pr.open) await closeIgnored(client, event.target, pr, kind);
      const subject =
        kind === "digest" ? `${image}:${pr.marker.tag}@${shortDigest(pr.marker.digest)}` : `${image}:${pr.marker.tag}`;
      return outcome({ kind: "done", command: command.kind, subject }, { fresh: true });
    }
    case "unignore": {
      const dashboard = await dashboardOf(client, event.target, deps);
      if (dashboard === "invalid") return fail("`.github/repin.yml` does not validate; fix it first");
      if (pr) {
        const image = imageOf(pr.marker);
        if (dashboard !== null) {
          dashboard.ignores = removeIgnores(dashboard.ignores, { image, tag: pr.marker.tag });
          await rememberDashboard(deps, event.target, dashboard);
        } else await unignoreClosed(client, event.target, pr.branch);
        return outcome({ kind: "done", command: "unignore", subject: `${image}:${pr.marker.tag}` }, { fresh: true });
      }
      if (dashboard === null || dashboard.number !== event.number)
        return fail("this works on a repin PR, or in the dashboard issue (undoes every ignore)");
      dashboard.ignores = [];
      await rememberDashboard(deps, event.target, dashboard);
      return outcome({ kind: "done", command: "unignore", subject: "every image" }, { fresh: true });
    }
  }
}

/** The dashboard's memory when the config turns it on; null when off; "invalid" for a bad config. */
async function dashboardOf(client: GitHubClient, target: RepoTarget, deps: CommandDeps) {
  const read = await readRepository(client, target, deps.store);
  if (read.kind === "empty") return null;
  const parsed = read.repo.config;
  if (!parsed.ok) return "invalid" as const;
  return parsed.config.dashboard ? loadDashboard(client, target, deps.store, await ownerOf(deps)) : null;
}

/** The dashboard as changed here, for the rescan that follows (it reads the store). */
async function rememberDashboard(deps: RepoDeps, target: RepoTarget, dashboard: DashboardMemory): Promise<void> {
  await deps.store.dashboards.put(repoKeyOf(fullName(target)), dashboard);
}

const imageOf = (marker: Marker): string => imageOfKey(marker.key);

async function react(client: GitHubClient, event: CommandEvent): Promise<void> {
  const api = repoApi(client, event.target);
  if (event.reaction?.kind === "issue_comment") await reactToComment(api, event.reaction.id);
  else if (event.reaction?.kind === "review_comment") await reactToReviewComment(api, event.reaction.id);
}

async function reply(client: GitHubClient, event: CommandEvent, body: string): Promise<void> {
  await addComment(repoApi(client, event.target), event.number, body);
}

/** Write, maintain or admin, as GitHub answers it; not a collaborator is no. */
export async function isWriter(client: GitHubClient, target: RepoTarget, login: string): Promise<boolean> {
  return canAct(await permissionOf(repoApi(client, target), login));
}

/**
 * The PR when it is repin's: from a `repin/` branch of this repository, with repin's marker, and
 * opened by the App's own login or carrying a seal made with this key (SPEC 5, 10, 14: an Action PR
 * the App took over, whoever opened it). Anyone else's PR — an unsealed marker, or one sealed with
 * another key — is not repin's, however alike it looks.
 */
async function repinPr(
  client: GitHubClient,
  target: RepoTarget,
  number: number,
  repin: { readonly botLogin: string; readonly key: MarkerKey },
): Promise<RepinPr | null> {
  const pull = await readPull(repoApi(client, target), number);
  const marker = parseMarker(pull.body);
  if (marker === null || !pull.branch.startsWith(BRANCH_PREFIX) || !pull.sameRepo) return null;
  if (pull.author !== repin.botLogin && trustedCommit(marker, pull.branch, repin.key) === "") return null;
  return { number, branch: pull.branch, open: pull.open, headSha: pull.headSha, body: pull.body ?? "", marker };
}

/** Closes the PR, its marker saying what it ignores; deletes the branch if only repin wrote to it. */
async function closeIgnored(
  client: GitHubClient,
  target: RepoTarget,
  pr: RepinPr,
  kind: "digest" | "image",
): Promise<void> {
  const api = repoApi(client, target);
  await editPull(api, pr.number, { state: "closed", body: withMarker(pr.body, { ...pr.marker, ignore: kind }) });
  if (pr.headSha === pr.marker.commit) await deleteBranch(api, pr.branch);
}

/** `dashboard: false`: the closed PRs of the branch are the record; mark them as declining nothing. */
async function unignoreClosed(client: GitHubClient, target: RepoTarget, branch: string): Promise<void> {
  const api = repoApi(client, target);
  for (const pull of await closedPulls(api, branch)) {
    const marker = parseMarker(pull.body);
    if (marker === null || marker.ignore === "none" || pull.merged) continue;
    await editPull(api, pull.number, { body: withMarker(pull.body, { ...marker, ignore: "none" }) });
  }
}

export interface DashboardEdit {
  readonly target: RepoTarget;
  readonly number: number;
  readonly sender: Sender;
  readonly body: string;
  /** The body before the edit (the webhook's `changes.body.from`), when it changed. */
  readonly previous: string | null;
}

/**
 * Someone edited the dashboard issue. A writer's edit counts: deleted ignore lines undo those
 * ignores, ticked boxes rescan or recreate; then repin renders it again with the boxes unticked.
 * Anyone else's edit is undone: what counts is what repin last wrote (kept in the store), never the
 * event's `from`, which a second quick edit makes the first edit's text. Only after a restart,
 * when repin has not read or written the issue yet, is `from` the best record there is.
 * Bots are ignored.
 */
export async function onDashboardEdit(
  client: GitHubClient,
  edit: DashboardEdit,
  deps: RepoDeps,
): Promise<CommandResult> {
  if (isBotSender(edit.sender)) return "bot";
  const remembered = (await deps.store.dashboards.get(repoKeyOf(fullName(edit.target)))) !== undefined;
  const dashboard = await loadDashboard(client, edit.target, deps.store, await ownerOf(deps));
  // Only the dashboard repin opened (found by the App's own login) is acted on, never another bot's look-alike.
  if (dashboard.number !== edit.number) return "none";
  dashboard.body = edit.body;
  const before = edit.previous === null ? null : parseDashboard(edit.previous);
  // What repin wrote last; a cold lookup read the edited body, so the event's `from` stands in.
  const kept: Ignore[] = remembered || before === null || before.problem !== null ? dashboard.ignores : before.ignores;
  if (!(await isWriter(client, edit.target, edit.sender.login))) {
    dashboard.ignores = kept;
    await rememberDashboard(deps, edit.target, dashboard);
    await processRepository(client, edit.target, deps, { fresh: true });
    return "refused";
  }
  const parsed = parseDashboard(edit.body);
  // A body whose data block is gone or broken keeps the ignores repin had.
  dashboard.ignores = parsed.problem === null ? parsed.ignores : kept;
  await rememberDashboard(deps, edit.target, dashboard);
  const force = new Map<string, ForceMode>(parsed.checked.recreate.map((branch) => [branch, "recreate"]));
  await processRepository(client, edit.target, deps, { fresh: true, force });
  return "acted";
}
