import type { Issue } from "../../support/github/index.js";
import { example, OWNER, type World } from "../../app/support/world.js";

/** The value of one sample in Prometheus text (`name{a="b"} 3`), labels matched exactly; null when absent. */
export function metricValue(text: string, name: string, labels: Record<string, string>): number | null {
  const wanted = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .sort()
    .join(",");
  for (const line of text.split("\n")) {
    if (line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? "")
      .split(/,(?=[a-zA-Z_]\w*=")/)
      .filter(Boolean)
      .sort()
      .join(",");
    if (have === wanted) return Number(match[3]);
  }
  return null;
}

/** The `pull_request.closed` delivery GitHub sends for `pull` (merged or not). */
export function closedPayload(world: World, repo: string, pull: Issue, merged: boolean): Record<string, unknown> {
  const payload = example("pull_request", "closed");
  const pr = payload.pull_request as Record<string, unknown>;
  const repository = payload.repository as Record<string, unknown>;
  return {
    ...payload,
    number: pull.number,
    installation: { id: world.installationId, node_id: "I_1" },
    repository: { ...repository, name: repo, full_name: `${OWNER}/${repo}`, default_branch: "main" },
    pull_request: { ...pr, number: pull.number, merged, head: { ...(pr.head as object), ref: pull.pull!.headRef } },
  };
}
