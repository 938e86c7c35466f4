import { configRequests, manifestRequests, tagListRequests, tagRequests } from "../plan/index.js";
import type { Lookup, Lookups, PlanOptions, ScannedFile } from "../plan/index.js";
import { registryFailureOf } from "../registry/index.js";
import type { Registry } from "../registry/types.js";
import { mapLimit } from "./pool.js";

const CONCURRENCY = 8;

export interface LookUpHooks {
  /** The tag lists are in: which tag each reference follows is known from here on (the CLI's progress). */
  readonly onTagLists?: (tagLists: Lookups["tagLists"]) => void;
}

/**
 * Asks the registry what the plan needs, in three rounds (tag lists, tag digests, changed manifests),
 * and a fourth for a client that reads config blobs only on demand (the platforms some decisions need).
 * A failure is recorded as that lookup's reason; it never stops the other lookups.
 */
export async function lookUp(
  files: readonly ScannedFile[],
  registry: Registry,
  options: PlanOptions,
  hooks: LookUpHooks = {},
): Promise<Lookups> {
  const tagLists = await collect(tagListRequests(files, options), (request) => [
    request.key,
    () => registry.listTags(request.name),
  ]);
  hooks.onTagLists?.(tagLists);
  const tags = await collect(tagRequests(files, { tagLists }, options), (request) => [
    request.key,
    () => registry.resolveTag(request.name, request.tag),
  ]);
  const manifests = await collect(manifestRequests(files, { tagLists, tags }, options), (request) => [
    request.key,
    () => registry.getManifest(request.name, request.digest),
  ]);
  const withConfig = registry.getManifestWithConfig?.bind(registry);
  if (!withConfig) return { tagLists, tags, manifests };
  const configured = await collect(configRequests(files, { tagLists, tags, manifests }, options), (request) => [
    request.key,
    () => withConfig(request.name, request.digest),
  ]);
  return { tagLists, tags, manifests: new Map([...manifests, ...configured]) };
}

async function collect<Q, T>(
  requests: readonly Q[],
  ask: (request: Q) => [string, () => Promise<T>],
): Promise<Map<string, Lookup<T>>> {
  const answers = await mapLimit(requests, CONCURRENCY, async (request) => {
    const [key, call] = ask(request);
    return [key, await settle(call)] as const;
  });
  return new Map(answers);
}

async function settle<T>(call: () => Promise<T>): Promise<Lookup<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, failure: registryFailureOf(error) };
  }
}
