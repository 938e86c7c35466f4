/**
 * Registries that could not be reached, in the log (SPEC 13): a scan leaves the references a failing
 * registry serves as they are and says so on the dashboard; the operator also gets a WARN naming the
 * host and the reason. Once per host and kind of failure within `quietMs` (default 10 minutes), so a
 * registry that is down is one line, not one per repository. Answers about the content (no such
 * tag, an internal address refused) are the repository's business: the dashboard says them.
 */
import type { Log, RepoOutcome } from "../github/index.js";
import type { Reason } from "../plan/index.js";
import type { RegistryFailure } from "../registry/index.js";

const NOT_REACHING: ReadonlySet<RegistryFailure["kind"]> = new Set([
  "not-found",
  "insecure-refused",
  "address-refused",
]);

export function registryFailureLog(
  log: Pick<Log, "warn">,
  options: { readonly quietMs?: number; readonly now?: () => number } = {},
): (outcome: RepoOutcome) => void {
  const quietMs = options.quietMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  const said = new Map<string, number>();
  return (outcome) => {
    if (!("updates" in outcome)) return;
    const failures = new Map<string, { failure: RegistryFailure; references: number }>();
    for (const update of outcome.updates) {
      for (let r: Reason | null | undefined = update.reason; r; r = r.note) {
        const failure = r.registry;
        if (!failure?.host || NOT_REACHING.has(failure.kind)) continue;
        const key = `${failure.host} ${failure.kind}`;
        const seen = failures.get(key);
        failures.set(key, { failure, references: (seen?.references ?? 0) + 1 });
      }
    }
    for (const [key, { failure, references }] of failures) {
      const last = said.get(key);
      if (last !== undefined && now() - last < quietMs) continue;
      said.set(key, now());
      log.warn(
        {
          registry: failure.host,
          kind: failure.kind,
          status: failure.status,
          reason: failure.message,
          repo: outcome.repo,
          references,
        },
        "registry could not be reached; the references it serves are left as they are",
      );
    }
  };
}
