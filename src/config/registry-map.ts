import { repositoryKey, splitDockerName, type RepositoryName } from "../reference/index.js";

/**
 * `registryMap`: a mirror prefix → its upstream prefix. Pull-through caches
 * serve stale tags, so a mirrored name is resolved against its upstream.
 *
 * The upstream name of `name`: the longest map key equal to
 * `registry/repository` or a whole-path-part prefix of it is replaced by its
 * value, whose first part is the registry. Docker Hub's rules apply to the
 * result (aliases fold to `docker.io`, a one-part repository gains
 * `library/`), so `mirror.corp/hub/python` with `{"mirror.corp/hub":
 * "docker.io"}` resolves as `docker.io/library/python`. No matching key, or a
 * mapping that leaves no repository, returns `name` unchanged.
 */
export function applyRegistryMap(name: RepositoryName, registryMap: Readonly<Record<string, string>>): RepositoryName {
  const full = repositoryKey(name);
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
