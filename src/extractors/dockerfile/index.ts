/**
 * Dockerfiles (SPEC 2): the extractor lives in src/dockerfile/; this registers it as a kind, with the
 * `# syntax=` frontend image (syntax.ts) as the file's first reference.
 */
import { extractReferences, isDockerfilePath } from "../../dockerfile/index.js";
import type { ExtractionResult } from "../../dockerfile/types.js";
import type { Extractor } from "../types.js";
import { syntaxReference } from "./syntax.js";

export const dockerfile: Extractor = {
  kind: "dockerfile",
  matches: (path) => isDockerfilePath(path),
  extract: (_path, content) => withSyntax(content, extractReferences(content)),
};

function withSyntax(content: string, result: ExtractionResult): ExtractionResult {
  if (result.error !== null) return result;
  const syntax = syntaxReference(content);
  return syntax === null ? result : { ...result, references: [syntax, ...result.references] };
}
