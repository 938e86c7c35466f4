import type { RepositoryName } from "../registry/types.js";

/** The dedupe keys of one run: each unique repository, tag and digest is asked about once. */
export const repositoryKey = (name: RepositoryName): string => `${name.registry}/${name.repository}`;

export const tagKey = (name: RepositoryName, tag: string): string => `${repositoryKey(name)}:${tag}`;

/** Manifests by repository and digest: the same digest may be readable in one repository and not in another. */
export const manifestKey = (name: RepositoryName, digest: string): string => `${repositoryKey(name)}@${digest}`;

/** Docker resolves a reference without a tag as "latest"; repin never writes that tag. */
export { DEFAULT_TAG } from "../reference/index.js";
