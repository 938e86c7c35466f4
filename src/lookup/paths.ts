import picomatch from "picomatch";
import { isIgnoredDirectory } from "../dockerfile/index.js";
import { isCandidatePath } from "../extractors/index.js";

/** SPEC 2: files over 1 MiB are not read. */
export const MAX_FILE_BYTES = 1024 * 1024;

export interface PathRules {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

/** Whether a repository path (with "/" separators) is a file repin reads, by name and config globs. */
export function createPathFilter(rules: PathRules): (path: string) => boolean {
  const options = { dot: true };
  const included = rules.include.length > 0 ? picomatch([...rules.include], options) : null;
  const excluded = rules.exclude.length > 0 ? picomatch([...rules.exclude], options) : null;
  return (path) => {
    if (
      path
        .split("/")
        .slice(0, -1)
        .some((dir) => isIgnoredDirectory(dir))
    )
      return false;
    if (excluded?.(path)) return false;
    return isCandidatePath(path) || (included?.(path) ?? false);
  };
}
