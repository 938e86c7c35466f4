import type { ConfigParseResult } from "../config/index.js";
import type { SourceFile } from "../plan/index.js";
import type { DashboardRecord, RepoRecord, Store } from "../store/index.js";

/**
 * What repin remembers lives in the store (src/store), so a restart costs what a steady cycle costs:
 * repositories as last read (ETags, heads, trees, modes, blob SHAs, the config's parse, the last
 * reconciled plan's fingerprint, floating-tag digests), file texts by blob SHA, first sightings
 * (minimumAge), check states, listing pages, dashboards, verdicts. This is the in-process view of one
 * repository for the length of one piece of work. Ignores are not here: they live in the dashboard
 * issue, where people see them.
 */
export interface RepoMemory {
  /** Lower-case `owner/name`: its key in the store. */
  readonly key: string;
  /** As stored. */
  readonly record: RepoRecord;
  readonly defaultBranch: string;
  readonly headSha: string | null;
  readonly treeSha: string | null;
  readonly modes: ReadonlyMap<string, string>;
  readonly files: readonly SourceFile[];
  readonly unread: readonly { path: string; reason: string }[];
  readonly configText: string;
  readonly config: ConfigParseResult;
  readonly settled: string | null;
  /** `<registry>/<repository>:<tag>` → digest last seen, for unpinned references (rebuild dispatch). */
  readonly seen: ReadonlyMap<string, string>;
}

export type DashboardMemory = DashboardRecord;

export const repoKeyOf = (fullName: string): string => fullName.toLowerCase();

/** A webhook said something changed (a PR closed, a push to a repin branch): reconcile next time. */
export async function markDirty(store: Store, fullName: string): Promise<void> {
  await store.repositories.settle(repoKeyOf(fullName), null);
}

/** Someone edited the dashboard: read it again before trusting what repin remembers of it. */
export async function forgetDashboard(store: Store, fullName: string): Promise<void> {
  await store.dashboards.delete(repoKeyOf(fullName));
  await markDirty(store, fullName);
}

/** The config repin last read for a repository (undefined: never read). */
export async function knownConfig(store: Store, fullName: string): Promise<ConfigParseResult | undefined> {
  return (await store.repositories.get(repoKeyOf(fullName)))?.config;
}

/** The texts of a repository's tracked files as repin last read them, by path. */
export async function knownFiles(store: Store, fullName: string): Promise<Map<string, string>> {
  const record = await store.repositories.get(repoKeyOf(fullName));
  if (!record) return new Map();
  const texts = await store.blobs.get(record.files.map((file) => file.sha));
  return new Map(
    record.files.flatMap((file) => {
      const content = texts.get(file.sha);
      return content && "text" in content ? [[file.path, content.text] as const] : [];
    }),
  );
}
