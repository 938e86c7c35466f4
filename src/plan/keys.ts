import { repositoryKey } from "../reference/index.js";
import type { RepositoryName } from "../reference/types.js";

/** The dedupe keys of one run: each unique repository, tag and digest is asked about once. */
export { repositoryKey, tagKey } from "../reference/index.js";

/** Manifests by repository and digest: the same digest may be readable in one repository and not in another. */
export const manifestKey = (name: RepositoryName, digest: string): string => `${repositoryKey(name)}@${digest}`;

/** Docker resolves a reference without a tag as "latest"; repin never writes that tag. */
export { DEFAULT_TAG } from "../reference/index.js";
