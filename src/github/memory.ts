import type { ConfigParseResult } from "../config/index.js";
import type { DashboardState, Ignore } from "../dashboard/index.js";
import type { SourceFile } from "../plan/index.js";

/**
 * What repin remembers between cycles, in memory (a restart only costs one full read per
 * repository): ETags and heads per repository, file contents by blob SHA, the fingerprint of the
 * last reconciled plan, the digests of floating tags for rebuild dispatch, the dashboard issue
 * as last read or written, the last `repin/config` check per repository, and when each digest
 * was first seen (minimumAge). Nothing here is a record people rely on: ignores live in the
 * dashboard issue, and a restart only restarts the minimumAge clocks (the safe direction).
 */
export interface RepoMemory {
  defaultBranch: string;
  headEtag: string | null;
  headSha: string | null;
  /** Tree of the head commit: the base_tree of repin's commits. */
  treeSha: string | null;
  /** Mode of every tracked file, to keep it in repin's commits. */
  modes: Map<string, string>;
  files: SourceFile[];
  unread: { path: string; reason: string }[];
  configText: string;
  /** Blob SHA of `.github/repin.yml` (null: no such file), and its parse: parsed again only when the blob changes. */
  configSha: string | null;
  config: ConfigParseResult;
  /** Fingerprint of the last plan reconciled without error; null forces a reconcile. */
  settled: string | null;
  /** `<registry>/<repository>:<tag>` → digest last seen, for unpinned references (rebuild dispatch). */
  seen: Map<string, string>;
}

export interface ListingPage {
  etag: string | null;
  repos: { owner: string; name: string; defaultBranch: string; archived: boolean }[];
  total: number;
}

/** The dashboard issue as repin last read or wrote it; `number` null: none exists (yet). */
export interface DashboardMemory {
  number: number | null;
  body: string;
  ignores: Ignore[];
  /** What it showed last: kept on display (with a warning) while the config is invalid. */
  state?: DashboardState;
}

export interface RepinMemory {
  readonly repos: Map<string, RepoMemory>;
  /** Lower-case `owner/repo` → its dashboard; absent: look it up on GitHub. */
  readonly dashboards: Map<string, DashboardMemory>;
  /** Lower-case `owner/repo` → `<head sha> <conclusion> <reason hash>` of the last repin/config check. */
  readonly checks: Map<string, string>;
  /** `<registry>/<repository>@<digest>` → when repin first saw it as a proposal (ms). */
  readonly firstSeen: Map<string, number>;
  /** Blob SHA → its text, or why it was not read as text (binary, not UTF-8). Capped: the oldest entries go first. */
  readonly blobs: Map<string, BlobContent>;
  /** `<installationId>:<page>` → the installation's repository listing page, with its ETag. */
  readonly listings: Map<string, ListingPage>;
}

/** A file's content as text (valid UTF-8, BOM and line ends kept), or why it is not text repin may rewrite. */
export type BlobContent = { readonly text: string } | { readonly unread: string };

export const MAX_CACHED_BLOBS = 50_000;

export function createMemory(): RepinMemory {
  return {
    repos: new Map(),
    dashboards: new Map(),
    checks: new Map(),
    firstSeen: new Map(),
    blobs: new Map(),
    listings: new Map(),
  };
}

export function rememberBlob(memory: RepinMemory, sha: string, content: BlobContent): void {
  if (memory.blobs.size >= MAX_CACHED_BLOBS) {
    const oldest = memory.blobs.keys().next().value;
    if (oldest !== undefined) memory.blobs.delete(oldest);
  }
  memory.blobs.set(sha, content);
}

export const MAX_FIRST_SEEN = 100_000;

/** minimumAge's first sightings, the oldest dropped past the cap. */
export function rememberSightings(memory: RepinMemory, sightings: ReadonlyMap<string, number>): void {
  for (const [key, at] of sightings) {
    if (memory.firstSeen.has(key)) continue;
    if (memory.firstSeen.size >= MAX_FIRST_SEEN) {
      const oldest = memory.firstSeen.keys().next().value;
      if (oldest !== undefined) memory.firstSeen.delete(oldest);
    }
    memory.firstSeen.set(key, at);
  }
}

/** A webhook said something changed (a PR closed, a push to a repin branch): reconcile next time. */
export function markDirty(memory: RepinMemory, fullName: string): void {
  const repo = memory.repos.get(fullName.toLowerCase());
  if (repo) repo.settled = null;
}

/** Someone edited the dashboard: read it again before trusting what repin remembers of it. */
export function forgetDashboard(memory: RepinMemory, fullName: string): void {
  memory.dashboards.delete(fullName.toLowerCase());
  markDirty(memory, fullName);
}
