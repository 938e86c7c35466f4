import { describe, expect, it } from "vitest";
import { applyRegistryMap, matchesImagePattern } from "../../src/config/index.js";

describe("applyRegistryMap", () => {
  const map = {
    "mirror.corp/hub": "docker.io",
    "mirror.corp/hub/internal": "registry.corp/team",
    "mirror.corp/cgr": "cgr.dev",
    "localhost:5000": "ghcr.io/acme",
    "harbor.corp/proxy/python": "docker.io/library/python",
  };
  it.each([
    ["mirror.corp", "hub/library/python", "docker.io", "library/python", "Docker Hub mirror with library/"],
    ["mirror.corp", "hub/python", "docker.io", "library/python", "one-part Hub name gains library/"],
    ["mirror.corp", "hub/bitnami/redis", "docker.io", "bitnami/redis", "Hub user repository"],
    ["mirror.corp", "hub/internal/app", "registry.corp", "team/app", "the longest key wins"],
    ["mirror.corp", "cgr/chainguard/node", "cgr.dev", "chainguard/node", "Chainguard mirror"],
    ["localhost:5000", "tools/builder", "ghcr.io", "acme/tools/builder", "a whole registry mapped under a path"],
    ["harbor.corp", "proxy/python", "docker.io", "library/python", "a key equal to the whole name"],
  ])("%s/%s → %s/%s (%s)", (registry, repository, upRegistry, upRepository) => {
    expect(applyRegistryMap({ registry, repository }, map)).toEqual({ registry: upRegistry, repository: upRepository });
  });

  it.each([
    ["mirror.corp", "hubble/app", "a key matches whole path parts only"],
    ["mirror.corp", "other/app", "no key"],
    ["docker.io", "library/python", "already upstream"],
    ["localhost:5001", "tools/builder", "another port"],
  ])("leaves %s/%s alone (%s)", (registry, repository) => {
    const name = { registry, repository };
    expect(applyRegistryMap(name, map)).toBe(name);
  });

  it("folds Docker Hub aliases in the upstream and tolerates trailing slashes", () => {
    expect(
      applyRegistryMap({ registry: "m.corp", repository: "hub/python" }, { "m.corp/hub/": "index.docker.io/" }),
    ).toEqual({
      registry: "docker.io",
      repository: "library/python",
    });
  });

  it("keeps the name when the mapping would leave no repository", () => {
    const name = { registry: "mirror.corp", repository: "hub" };
    expect(applyRegistryMap(name, { "mirror.corp/hub": "docker.io" })).toBe(name);
  });
});

describe("matchesImagePattern", () => {
  it.each([
    ["docker.io/library/python", "docker.io", "library/python", "3.12", true],
    ["python", "docker.io", "library/python", "3.12", true],
    ["docker.io/python", "docker.io", "library/python", null, true],
    ["index.docker.io/library/python", "docker.io", "library/python", "3.12", true],
    ["python", "ghcr.io", "library/python", "3.12", false],
    ["python", "docker.io", "library/python3", "3.12", false],
    ["cgr.dev/chainguard/*", "cgr.dev", "chainguard/node", "latest", true],
    ["cgr.dev/chainguard/*", "cgr.dev", "chainguard/sub/node", "latest", false],
    ["cgr.dev/**", "cgr.dev", "chainguard/sub/node", "latest", true],
    ["cgr.dev/chainguard/*", "cgr.dev.evil", "chainguard/node", "latest", false],
    ["python:3.11", "docker.io", "library/python", "3.11", true],
    ["python:3.11", "docker.io", "library/python", "3.11-slim", false],
    ["python:3.11", "docker.io", "library/python", null, false],
    ["python:3.11-*", "docker.io", "library/python", "3.11-slim", true],
    ["localhost:5000/app", "localhost:5000", "app", "v1", true],
    ["localhost:5000/app:v1", "localhost:5000", "app", "v1", true],
    ["localhost:5000/app:v1", "localhost:5000", "app", "v2", false],
    ["**/python", "ghcr.io", "acme/python", "3.12", true],
    ["**/python", "docker.io", "library/python", "3.12", true],
    ["bitnami/*", "docker.io", "bitnami/redis", "7", true],
    ["bitnami/*", "docker.io", "library/redis", "7", false],
    ["", "docker.io", "library/python", "3.12", false],
  ])("%j vs %s/%s:%s → %s", (pattern, registry, repository, tag, expected) => {
    expect(matchesImagePattern(pattern, registry, repository, tag)).toBe(expected);
  });
});
