// A Docker config.json that exists but cannot be used is said (path and reason, never contents),
// once per distinct problem, instead of being taken silently for "no credentials".
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dockerConfigKeychain, dockerConfigProblem, dockerKeychain } from "../../src/registry/credentials.js";

const SECRET = Buffer.from("robot:hunter2-secret").toString("base64");
let dir: string;
let path: string;
let warnings: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "repin-docker-config-"));
  path = join(dir, "config.json");
  warnings = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a malformed Docker config.json", () => {
  it("is one warning naming the file and the reason, without its contents, until it changes", async () => {
    // A trailing comma: what a hand edit leaves behind.
    await writeFile(path, `{"auths": {"ghcr.io": {"auth": "${SECRET}"}},}`);
    const keychain = dockerKeychain({ DOCKER_CONFIG: dir }, (message) => warnings.push(message));
    expect(await keychain.resolve("ghcr.io")).toBeNull();
    expect(await keychain.resolve("ghcr.io")).toBeNull();
    expect(warnings).toEqual([`Docker config ${path} is not valid JSON; its credentials are not used`]);
    expect(warnings.join("\n")).not.toContain(SECRET);

    // Fixed: the credentials are used and nothing more is said; broken again: said again.
    await writeFile(path, JSON.stringify({ auths: { "ghcr.io": { auth: SECRET } } }));
    expect(await keychain.resolve("ghcr.io")).toEqual({ kind: "basic", username: "robot", password: "hunter2-secret" });
    await writeFile(path, JSON.stringify([{ auths: {} }]));
    expect(await keychain.resolve("ghcr.io")).toBeNull();
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toBe(`Docker config ${path} is not a JSON object; its credentials are not used`);
  });

  it("a file that cannot be read is said with the error code; a missing one is not a problem", async () => {
    const keychain = dockerConfigKeychain({ configDir: dir, warn: (message) => warnings.push(message) });
    expect(await keychain.resolve("ghcr.io")).toBeNull();
    expect(warnings).toEqual([]);
    await mkdir(path); // a folder where the file should be
    expect(await keychain.resolve("ghcr.io")).toBeNull();
    expect(warnings).toEqual([`Docker config ${path} could not be read (EISDIR); its credentials are not used`]);
  });

  it("names the reason for each kind of unusable text, and takes empty or partial configs as usable", () => {
    expect(dockerConfigProblem("")).toBeNull();
    expect(dockerConfigProblem("{}")).toBeNull();
    expect(dockerConfigProblem(JSON.stringify({ credsStore: "desktop" }))).toBeNull();
    expect(dockerConfigProblem("{")).toBe("is not valid JSON");
    expect(dockerConfigProblem('"auths"')).toBe("is not a JSON object");
    expect(dockerConfigProblem(JSON.stringify({ auths: ["ghcr.io"] }))).toBe('has "auths" that is not an object');
    expect(dockerConfigProblem(JSON.stringify({ credHelpers: "ecr-login" }))).toBe(
      'has "credHelpers" that is not an object',
    );
  });
});
