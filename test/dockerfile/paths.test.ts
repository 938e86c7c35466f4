import { describe, expect, it } from "vitest";
import { isDockerfilePath, isIgnoredDirectory } from "../../src/dockerfile/index.js";

describe("isDockerfilePath", () => {
  it.each([
    "Dockerfile",
    "Containerfile",
    "app/Dockerfile",
    "a/b/c/Containerfile",
    "build/api.Dockerfile",
    "web.dockerfile",
    "Dockerfile.prod",
    "deploy/Containerfile.arm64",
  ])("accepts %s", (p) => expect(isDockerfilePath(p)).toBe(true));

  it.each([
    "Dockerfile.dockerignore",
    ".dockerignore",
    "dockerfile.md",
    "README.md",
    "Dockerfile/x.txt",
    ".dockerfile",
    "MyDockerfile",
  ])("rejects %s", (p) => expect(isDockerfilePath(p)).toBe(false));
});

describe("isIgnoredDirectory", () => {
  it.each(["node_modules", "a/node_modules/b/Dockerfile", "vendor/x", ".git", "src/.git/Dockerfile"])(
    "ignores %s",
    (p) => expect(isIgnoredDirectory(p)).toBe(true),
  );
  it.each(["src", "services/vendors/Dockerfile", "git/Dockerfile", "my_node_modules/Dockerfile"])("keeps %s", (p) =>
    expect(isIgnoredDirectory(p)).toBe(false),
  );
});
