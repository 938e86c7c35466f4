import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dockerConfigKeychain,
  lookupCredentials,
  parseDockerConfig,
  parseHelperOutput,
  registryKey,
} from "../../src/registry/credentials.js";

const b64 = (text: string) => Buffer.from(text).toString("base64");

describe("registryKey", () => {
  it("reduces config keys to hosts, Docker Hub aliases to docker.io", () => {
    expect(registryKey("https://index.docker.io/v1/")).toBe("docker.io");
    expect(registryKey("registry-1.docker.io")).toBe("docker.io");
    expect(registryKey("https://GHCR.io")).toBe("ghcr.io");
    expect(registryKey("http://127.0.0.1:5000/v2/")).toBe("127.0.0.1:5000");
  });
});

describe("lookupCredentials", () => {
  it("matches Docker Hub's legacy key to docker.io and decodes `auth`", () => {
    const config = parseDockerConfig(
      JSON.stringify({ auths: { "https://index.docker.io/v1/": { auth: b64("me:pa:ss") } } }),
    );
    expect(lookupCredentials(config, "docker.io")).toEqual({
      source: "auths",
      credentials: { kind: "basic", username: "me", password: "pa:ss" },
    });
    expect(lookupCredentials(config, "ghcr.io")).toEqual({ source: "none" });
  });

  it("reads username/password and identity tokens", () => {
    const config = parseDockerConfig(
      JSON.stringify({
        auths: {
          "a.example": { username: "u", password: "p" },
          "b.example": { auth: b64("u:"), identitytoken: "refresh" },
        },
      }),
    );
    expect(lookupCredentials(config, "a.example")).toMatchObject({
      credentials: { kind: "basic", username: "u", password: "p" },
    });
    expect(lookupCredentials(config, "b.example")).toMatchObject({
      credentials: { kind: "identity-token", identityToken: "refresh" },
    });
  });

  it("prefers credHelpers, then auths with credentials, then credsStore (with Hub's server URL)", () => {
    const config = parseDockerConfig(
      JSON.stringify({
        auths: { "ghcr.io": { auth: b64("u:p") }, "https://index.docker.io/v1/": {} },
        credHelpers: { "ghcr.io": "gh", "123.dkr.ecr.us-east-1.amazonaws.com": "ecr-login" },
        credsStore: "desktop",
      }),
    );
    expect(lookupCredentials(config, "ghcr.io")).toEqual({ source: "helper", helper: "gh", serverUrl: "ghcr.io" });
    expect(lookupCredentials(config, "docker.io")).toEqual({
      source: "helper",
      helper: "desktop",
      serverUrl: "https://index.docker.io/v1/",
    });
  });

  it("treats an unreadable config as empty", () => {
    expect(lookupCredentials(parseDockerConfig("{not json"), "docker.io")).toEqual({ source: "none" });
    expect(lookupCredentials(parseDockerConfig('{"auths": []}'), "docker.io")).toEqual({ source: "none" });
  });
});

describe("parseHelperOutput", () => {
  it("reads a username/secret pair, and `<token>` as an identity token", () => {
    expect(parseHelperOutput('{"ServerURL":"x","Username":"u","Secret":"s"}')).toEqual({
      kind: "basic",
      username: "u",
      password: "s",
    });
    expect(parseHelperOutput('{"Username":"<token>","Secret":"t"}')).toEqual({
      kind: "identity-token",
      username: "<token>",
      identityToken: "t",
    });
    expect(parseHelperOutput("credentials not found")).toBeNull();
  });
});

describe("dockerConfigKeychain", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "repin-config-"));
    await writeFile(
      join(dir, "config.json"),
      JSON.stringify({ auths: { "https://index.docker.io/v1/": { auth: b64("hub:pw") } } }),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("reads $DOCKER_CONFIG/config.json", async () => {
    const keychain = dockerConfigKeychain({ env: { DOCKER_CONFIG: dir } });
    expect(await keychain.resolve("docker.io")).toEqual({ kind: "basic", username: "hub", password: "pw" });
    expect(await keychain.resolve("quay.io")).toBeNull();
  });

  it("falls back to ~/.docker/config.json when DOCKER_CONFIG is unset", async () => {
    const home = await mkdtemp(join(tmpdir(), "repin-home-"));
    const keychain = dockerConfigKeychain({ env: { HOME: home }, configDir: join(home, ".docker") });
    expect(await keychain.resolve("docker.io")).toBeNull();
    await rm(home, { recursive: true, force: true });
  });

  it("reports a configured helper that is not installed as unauthorized, naming no secret", async () => {
    const helperDir = await mkdtemp(join(tmpdir(), "repin-helper-"));
    await writeFile(join(helperDir, "config.json"), JSON.stringify({ credsStore: "missing-helper" }));
    const keychain = dockerConfigKeychain({ env: { DOCKER_CONFIG: helperDir, PATH: helperDir } });
    await expect(keychain.resolve("ghcr.io")).rejects.toMatchObject({
      kind: "unauthorized",
      message: "credential helper docker-credential-missing-helper is not installed for ghcr.io",
    });
    await rm(helperDir, { recursive: true, force: true });
  });
});
