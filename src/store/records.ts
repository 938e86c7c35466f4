import type { ConfigParseResult } from "../config/index.js";
import type { DashboardState, Ignore } from "../dashboard/index.js";

/**
 * What repin remembers of one repository between cycles (keyed by lower-case `owner/name`): enough
 * to answer an unchanged head (a 304) without reading anything else, after a restart too.
 */
export interface RepoRecord {
  readonly defaultBranch: string;
  readonly headEtag: string | null;
  readonly headSha: string | null;
  /** Tree of the head commit: the base_tree of repin's commits. */
  readonly treeSha: string | null;
  /** Mode of every tracked file, to keep it in repin's commits. */
  readonly modes: Readonly<Record<string, string>>;
  /** The tracked files read as text, by blob SHA (their text is in the blobs). */
  readonly files: readonly { readonly path: string; readonly sha: string }[];
  readonly unread: readonly { readonly path: string; readonly reason: string }[];
  /** Blob SHA of `.github/repin.yml` (null: no such file), its text and its parse. */
  readonly configSha: string | null;
  readonly configText: string;
  readonly config: ConfigParseResult;
  /** Fingerprint of the last plan reconciled without error; null forces a reconcile. */
  readonly settled: string | null;
  /** `<registry>/<repository>:<tag>` → digest last seen, for unpinned references (rebuild dispatch). */
  readonly seen: Readonly<Record<string, string>>;
}

/** A file's content as text (valid UTF-8, BOM and line ends kept), or why it is not text repin may rewrite. */
export type BlobContent = { readonly text: string } | { readonly unread: string };

export interface ListingPage {
  readonly etag: string | null;
  readonly repos: readonly { owner: string; name: string; defaultBranch: string; archived: boolean }[];
  readonly total: number;
}

/** The dashboard issue as repin last read or wrote it; `number` null: none exists (yet). */
export interface DashboardRecord {
  number: number | null;
  body: string;
  ignores: Ignore[];
  /** What it showed last: kept on display (with a warning) while the config is invalid. */
  state?: DashboardState;
  /** Newer duplicates a cold lookup found, closed once this one shows their ignores. */
  duplicates?: number[];
}
