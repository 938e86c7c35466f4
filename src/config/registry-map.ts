import { splitDockerName } from "../reference/index.js";

/**
 * `registryMap`: a mirror prefix → its upstream prefix. Pull-through caches
 * serve stale tags, so a mirrored name is resolved against its upstream.
 */
export interface RegistryName {
  /** Normalized registry host, e.g. "docker.io", "mirror.corp". */
  readonly registry: string;
  /** Repository path inside it, e.g. "hub/library/python". */
  readonly repository: string;
}

/**
 * The upstream name of `name`: the longest map key equal to
 * `registry/repository` or a whole-path-part prefix of it is replaced by its
 * value, whose first part is the registry. Docker Hub's rules apply to the
 * result (aliases fold to `docker.io`, a one-part repository gains
 * `library/`), so `mirror.corp/hub/python` with `{"mirror.corp/hub":
 * "docker.io"}` resolves as `docker.io/library/python`. No matching key, or a
 * mapping that leaves no repository, returns `name` unchanged.
 */
export function applyRegistryMap(name: RegistryName, registryMap: Readonly<Record<string, string>>): RegistryName {
  const full = `${name.registry}/${name.repository}`;
  const key = Object.keys(registryMap)
    .map((k) => k.replace(/\/+$/, ""))
    .filter((k) => full === k || full.startsWith(`${k}/`))
    .sort((a, b) => b.length - a.length)[0];
  const upstream = key === undefined ? undefined : (registryMap[key] ?? registryMap[`${key}/`]);
  if (key === undefined || upstream === undefined) return name;

  const mapped = `${upstream.replace(/\/+$/, "")}${full.slice(key.length)}`;
  const slash = mapped.indexOf("/");
  if (slash <= 0 || slash === mapped.length - 1) return name;
  const host = mapped.slice(0, slash);
  // The mapped name's first part is its registry even when it does not look like a host.
  const looksLikeHost = /[.:]/.test(host) || host === "localhost";
  return looksLikeHost ? splitDockerName(mapped) : { registry: host, repository: mapped.slice(slash + 1) };
}
