/** Dockerfiles (SPEC 2): the extractor lives in src/dockerfile/; this registers it as a kind. */
import { extractReferences, isDockerfilePath } from "../../dockerfile/index.js";
import type { Extractor } from "../types.js";

export const dockerfile: Extractor = {
  kind: "dockerfile",
  matches: (path) => isDockerfilePath(path),
  extract: (_path, content) => extractReferences(content),
};
