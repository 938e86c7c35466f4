import { isDockerHub, parseImageReference } from "../reference/index.js";

/** A tag someone says moved: the watcher's unit of work, normalized like the reverse index's keys. */
export interface TagHint {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
}

/** Where hints go: the watcher's `hint` (coalesces, ignores unknown tags, re-resolves before acting). */
export type HintSink = (tag: TagHint, seenAt: number) => void;

/**
 * `host/repository:tag` normalized as a file's reference would be (Hub aliases folded, `library/`
 * added), or null when it is not a valid reference or the host would not be read as a registry
 * (a Dockerfile cannot name `myhost/x` as a registry without a dot or port).
 */
export function tagHint(host: string, repository: string, tag: string): TagHint | null {
  if (host === "" || repository === "" || tag === "" || host.includes("/")) return null;
  const parsed = parseImageReference(`${host.toLowerCase()}/${repository}:${tag}`);
  if (!parsed.ok || parsed.ref.tag !== tag || parsed.ref.digest !== null) return null;
  const { registry, repository: path } = parsed.ref;
  if (registry !== host.toLowerCase() && !isDockerHub(host)) return null;
  return { registry, repository: path, tag };
}
