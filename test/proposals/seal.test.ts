import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  gitBlobSha,
  isTreeRepinWrites,
  markerKey,
  sealed,
  trustedCommit,
  type TreeBlob,
} from "../../src/proposals/index.js";
import { desired, marker } from "./support.js";

// SPEC 10: repin's commit is the SHA its marker names under a seal only the App's key makes; a
// head that is not it is repin's only when its tree is exactly what repin writes.
const pem = (): string =>
  generateKeyPairSync("rsa", {
    modulusLength: 1024,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
const KEY = markerKey(pem());
const pr = desired("a");

describe("the marker's seal", () => {
  const ours = sealed(marker(pr, { commit: "c0ffee" }), pr.branch, KEY);

  it("vouches for the commit it was made for, on its branch", () => {
    expect(trustedCommit(ours, pr.branch, KEY)).toBe("c0ffee");
  });

  it.each([
    ["a commit a writer put in its place", { ...ours, commit: "badc0de" }, pr.branch, KEY],
    ["no seal at all", { ...ours, sig: undefined }, pr.branch, KEY],
    ["a seal a writer made up", { ...ours, sig: "0".repeat(32) }, pr.branch, KEY],
    ["a marker copied to another branch", ours, "repin/other/latest", KEY],
    ["a seal made with another key", ours, pr.branch, markerKey(pem())],
  ])("is not trusted for %s", (_what, candidate, branch, key) => {
    expect(trustedCommit(candidate, branch, key)).toBe("");
  });

  it("is keyed by the private key: the same key makes the same seal after a restart", () => {
    const key = pem();
    expect(sealed(marker(pr), pr.branch, markerKey(key)).sig).toBe(sealed(marker(pr), pr.branch, markerKey(key)).sig);
  });
});

describe("a tree repin writes", () => {
  const base: TreeBlob[] = [
    { path: "Dockerfile", sha: gitBlobSha("FROM a@sha256:old\n"), mode: "100644" },
    { path: "run.sh", sha: gitBlobSha("echo\n"), mode: "100755" },
  ];
  const files = [{ path: "Dockerfile", content: "FROM a@sha256:new\n" }];
  const head: TreeBlob[] = [{ ...base[0]!, sha: gitBlobSha(files[0]!.content) }, base[1]!];

  it("is the base with the changed files, nothing more, nothing less", () => {
    expect(isTreeRepinWrites(base, head, files)).toBe(true);
  });

  it.each([
    [
      "a file added (a workflow, say)",
      [...head, { path: ".github/workflows/x.yml", sha: gitBlobSha("on: push\n"), mode: "100644" }],
    ],
    ["another content", [{ ...head[0]!, sha: gitBlobSha("FROM evil\n") }, head[1]!]],
    ["a file removed", [head[0]!]],
    ["a mode changed", [head[0]!, { ...head[1]!, mode: "100644" }]],
  ])("is not a tree with %s", (_what, other) => {
    expect(isTreeRepinWrites(base, other, files)).toBe(false);
  });

  it("names blobs as git does", () => {
    const dir = mkdtempSync(join(tmpdir(), "repin-blob-"));
    writeFileSync(join(dir, "f"), "héllo\n");
    expect(gitBlobSha("héllo\n")).toBe(
      execFileSync("git", ["hash-object", join(dir, "f")], { encoding: "utf8" }).trim(),
    );
  });
});
