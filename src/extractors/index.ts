/**
 * The file kinds repin reads (SPEC 2, 2a), registered in one place. Each kind is a folder here with
 * its file-name rules and a pure `(path, text) → references with exact ranges` (README.md says how
 * to add one); the plan, registry, PRs and dashboard treat every kind alike.
 */
import { compose } from "./compose/index.js";
import { devcontainer } from "./devcontainer/index.js";
import { dockerfile } from "./dockerfile/index.js";
import { helm } from "./helm/index.js";
import { kubernetes } from "./kubernetes/index.js";
import { kustomize } from "./kustomize/index.js";
import { workflow } from "./workflow/index.js";
import type { Extractor, FileKind, PathSet } from "./types.js";

/** In order: the first kind whose rules match a path reads it; Kubernetes (any YAML) comes last. */
export const EXTRACTORS: readonly Extractor[] = [
  dockerfile,
  compose,
  workflow,
  helm,
  kustomize,
  devcontainer,
  kubernetes,
];

const NO_PATHS: PathSet = { has: () => false };

/** Whether a path may hold a kind by its name alone: the cheap filter before anything is read. */
export function isCandidatePath(path: string): boolean {
  return EXTRACTORS.some((extractor) => extractor.matches(path, NO_PATHS));
}

/**
 * Which kind reads the file at `path`. A name no kind claims came from a config `paths.include`
 * glob, which names Dockerfiles; a name a kind claims by name but not here (a YAML file under a Helm
 * chart's `templates/`) is read by none: null.
 */
export function extractorFor(path: string, tree: PathSet): Extractor | null {
  const matched = EXTRACTORS.find((extractor) => extractor.matches(path, tree));
  if (matched) return matched;
  return isCandidatePath(path) ? null : dockerfile;
}

/** The kind of a file read or not (an unread file's row carries it too); by name only. */
export function kindOf(path: string): FileKind {
  return extractorFor(path, NO_PATHS)?.kind ?? "dockerfile";
}

export type { Extractor, FileKind, PathSet } from "./types.js";
export { isTemplate, literalReference, type LiteralImage } from "./literal.js";
export { readsAsString } from "./yaml/index.js";
