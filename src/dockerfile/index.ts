/**
 * Dockerfile extraction: which paths are Dockerfiles, the image references in
 * one (FROM, COPY --from, RUN --mount from) with ARGs expanded and exact
 * UTF-16 ranges for the tag and digest characters, and the pure rewrite that
 * applies edits to those ranges. Nothing here throws on bad input, and the work
 * per file is bounded (EXPANSION_LIMITS).
 */
export type {
  ExtractionResult,
  FoundReference,
  InstructionKind,
  SkipReason,
  TagTemplate,
  TextEdit,
  TextRange,
} from "./types.js";
export { isDockerfilePath, isIgnoredDirectory } from "./paths.js";
export { extractReferences } from "./extract.js";
export { EXPANSION_LIMITS, ExpansionBudget } from "./expand.js";
export { applyEdits, OverlappingEditsError } from "./rewrite.js";
