import type { GitHubClient, RepoTarget } from "./client.js";
import type { RepinPr } from "./commands.js";
import { desiredPrs, renderPrExplanation } from "../proposals/index.js";
import { describePr } from "./explainer.js";
import { readRepository } from "./read.js";
import { planRepository, type RepoDeps } from "./repository.js";

/** Room for the reply: a comment holds 65,536 characters. */
const MAX_REPLY = 60_000;

/**
 * `/repin explain`: the PR's bumps as repin plans them now (the repository read cheaply, the
 * registry's answers memoized), explained like the PR body (inventories and explanations are
 * cached, so this costs no layer download for a PR repin opened). The caller holds the lock.
 */
export async function explainReply(
  client: GitHubClient,
  target: RepoTarget,
  pr: RepinPr,
  deps: RepoDeps,
): Promise<string> {
  const explainer = deps.explainer;
  if (!explainer) return "repin explains no updates here: this App runs without advisory feeds and image reading.";
  const read = await readRepository(client, target, deps.store);
  if (read.kind === "empty") return "repin finds nothing to explain: the repository is empty.";
  const parsed = read.repo.config;
  if (!parsed.ok)
    return "repin cannot explain this PR: `.github/repin.yml` does not validate (see the `repin/config` check).";
  const { planned } = await planRepository(read.repo, parsed.config, deps.registry);
  const desired = desiredPrs(planned, read.repo.files, parsed.config.group).find(
    (candidate) => candidate.branch === pr.branch,
  );
  if (!desired)
    return "repin proposes nothing for this branch now (the change is on the base branch, or the tag moved back), so there is nothing to explain.";
  const explanation = await describePr(
    explainer,
    deps.registry,
    desired,
    explainer.platformFor(parsed.config.platforms),
  );
  if (explanation.bumps.length === 0) return "This PR only pins references: there is no old image to compare with.";
  return renderPrExplanation(explanation, MAX_REPLY);
}
