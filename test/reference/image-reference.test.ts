import { describe, expect, it } from "vitest";
import { isDockerHub, parseImageReference, repositoryKey, splitDockerName, tagKey } from "../../src/reference/index.js";
import { apiHost } from "../../src/registry/index.js";

const D = "sha256:" + "a".repeat(64);

describe("parseImageReference", () => {
  it.each([
    ["python", "python", "docker.io", "library/python", null, null],
    ["python:3.12-slim", "python", "docker.io", "library/python", "3.12-slim", null],
    [`python:3.12@${D}`, "python", "docker.io", "library/python", "3.12", D],
    [`python@${D}`, "python", "docker.io", "library/python", null, D],
    ["docker.io/python:3", "docker.io/python", "docker.io", "library/python", "3", null],
    ["index.docker.io/library/python:3", "index.docker.io/library/python", "docker.io", "library/python", "3", null],
    ["registry-1.docker.io/python:3", "registry-1.docker.io/python", "docker.io", "library/python", "3", null],
    ["bitnami/redis:7", "bitnami/redis", "docker.io", "bitnami/redis", "7", null],
    [`cgr.dev/chainguard/go:latest-dev@${D}`, "cgr.dev/chainguard/go", "cgr.dev", "chainguard/go", "latest-dev", D],
    ["localhost:5000/x", "localhost:5000/x", "localhost:5000", "x", null, null],
    ["localhost/x:1", "localhost/x", "localhost", "x", "1", null],
    ["ghcr.io/org/team/app:v1.2.3", "ghcr.io/org/team/app", "ghcr.io", "org/team/app", "v1.2.3", null],
    ["[::1]:5000/app:1", "[::1]:5000/app", "[::1]:5000", "app", "1", null],
  ])("%s", (written, name, registry, repository, tag, digest) => {
    const r = parseImageReference(written);
    expect(r).toEqual({ ok: true, ref: { written, name, registry, repository, tag, digest } });
  });

  it.each(["Python:3", "docker.io/Library/python", "python:", "", "python@sha512:" + "a".repeat(128), "a b", "$X"])(
    "rejects %j with a reason",
    (written) => {
      const r = parseImageReference(written);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason.length).toBeGreaterThan(0);
    },
  );

  it("builds dedupe keys that treat the Docker Hub spellings as one", () => {
    const keys = [
      "python:3.12",
      "docker.io/library/python:3.12",
      "index.docker.io/python:3.12",
      "registry-1.docker.io/library/python:3.12",
    ].map((w) => {
      const r = parseImageReference(w);
      if (!r.ok) throw new Error(r.reason);
      return [repositoryKey(r.ref), tagKey(r.ref, r.ref.tag ?? "latest")];
    });
    expect(new Set(keys.map((k) => k.join(" "))).size).toBe(1);
    expect(keys[0]).toEqual(["docker.io/library/python", "docker.io/library/python:3.12"]);
  });
});

describe("Docker Hub's names, written once", () => {
  it("knows Hub under each alias, in any case, and nothing else", () => {
    for (const host of ["docker.io", "index.docker.io", "registry-1.docker.io", "Index.Docker.IO"]) {
      expect(isDockerHub(host)).toBe(true);
    }
    expect(isDockerHub("ghcr.io")).toBe(false);
    expect(isDockerHub("docker.io.evil.example")).toBe(false);
  });

  it("sends the registry client to Hub's API host for every alias, and folds aliases in names", () => {
    expect(["docker.io", "index.docker.io", "registry-1.docker.io"].map(apiHost)).toEqual([
      "registry-1.docker.io",
      "registry-1.docker.io",
      "registry-1.docker.io",
    ]);
    expect(apiHost("ghcr.io")).toBe("ghcr.io");
    expect(splitDockerName("registry-1.docker.io/python")).toEqual({
      registry: "docker.io",
      repository: "library/python",
    });
  });
});
