import type { Registry, RepositoryName } from "../registry/types.js";

export interface ProgressOptions {
  readonly write: (text: string) => unknown;
  /** References the run resolves (the total shown). */
  readonly total: number;
  /** How many references follow `tag` of `repo` (resolving it resolves them all); default 1. */
  readonly referencesOf?: (repo: RepositoryName, tag: string) => number;
  /** Quiet for runs shorter than this (default 1 s). */
  readonly afterMs?: number;
  /** How often the line is redrawn (default 100 ms). */
  readonly everyMs?: number;
}

export interface Progress {
  /** The registry, watched: references whose tag was resolved counted, hosts being waited on named. */
  readonly registry: Registry;
  /** Clears the line (when one was drawn) and stops redrawing. */
  stop(): void;
}

/**
 * A one-line progress report on a terminal's stderr for runs longer than a second:
 * `resolved 3/12 references · waiting on ghcr.io` (the references the summary line counts, not
 * the unique tags behind them), redrawn in place and cleared at the end.
 */
export function startProgress(registry: Registry, options: ProgressOptions): Progress {
  let resolved = 0;
  let drawn = false;
  const waiting = new Map<string, number>();
  const watch = <T>(repo: RepositoryName, work: () => Promise<T>, counts = 0): Promise<T> => {
    waiting.set(repo.registry, (waiting.get(repo.registry) ?? 0) + 1);
    return work().finally(() => {
      const left = (waiting.get(repo.registry) ?? 1) - 1;
      if (left === 0) waiting.delete(repo.registry);
      else waiting.set(repo.registry, left);
      resolved += counts;
    });
  };
  const draw = () => {
    const hosts = [...waiting.keys()].slice(0, 2).join(", ");
    const line = `resolved ${Math.min(resolved, options.total)}/${options.total} references${hosts ? ` · waiting on ${hosts}` : ""}`;
    options.write(`\r\u001b[K${line}`);
    drawn = true;
  };
  let timer: NodeJS.Timeout | null = null;
  const start = setTimeout(() => {
    draw();
    timer = setInterval(draw, options.everyMs ?? 100);
  }, options.afterMs ?? 1000);
  const withConfig = registry.getManifestWithConfig?.bind(registry);
  return {
    registry: {
      resolveTag: (repo, tag) =>
        watch(repo, () => registry.resolveTag(repo, tag), options.referencesOf?.(repo, tag) ?? 1),
      getManifest: (repo, digest) => watch(repo, () => registry.getManifest(repo, digest)),
      listTags: (repo) => watch(repo, () => registry.listTags(repo)),
      ...(withConfig ? { getManifestWithConfig: (repo, digest) => watch(repo, () => withConfig(repo, digest)) } : {}),
    } satisfies Registry,
    stop() {
      clearTimeout(start);
      if (timer) clearInterval(timer);
      if (drawn) options.write("\r\u001b[K");
    },
  };
}
