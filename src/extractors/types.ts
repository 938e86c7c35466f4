import type { ExtractionResult } from "../dockerfile/types.js";

/** The file kinds of SPEC 2a; `kind` in the CLI's JSON rows, the PR table and the dashboard. */
export type FileKind = "dockerfile" | "compose" | "kubernetes" | "workflow" | "helm" | "kustomize" | "devcontainer";

/** The repository's other paths ("/" separators), for rules like "beside a Chart.yaml". */
export interface PathSet {
  has(path: string): boolean;
}

/**
 * One file kind, like a Renovate manager: its file-name rules and a pure extractor. `matches` is
 * cheap (names only); `extract` never throws, returns exact UTF-16 ranges of the characters a
 * rewrite may change, and is bounded in time and memory whatever the content.
 */
export interface Extractor {
  readonly kind: FileKind;
  /** Whether the file at `path` is of this kind, given the repository's other paths. */
  readonly matches: (path: string, tree: PathSet) => boolean;
  readonly extract: (path: string, content: string) => ExtractionResult;
}
