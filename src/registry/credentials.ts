import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { RegistryError } from "./errors.js";
import { DEFAULT_REGISTRY, isDockerHub } from "../reference/index.js";

export type Credentials =
  | { readonly kind: "basic"; readonly username: string; readonly password: string }
  /** An OAuth2 refresh token (`identitytoken`), exchanged at the Bearer realm. */
  | { readonly kind: "identity-token"; readonly username: string; readonly identityToken: string };

/** Finds credentials for a registry (normalized name, e.g. "docker.io", "ghcr.io", "127.0.0.1:5000"). */
export interface Keychain {
  resolve(registry: string): Promise<Credentials | null>;
}

export const anonymousKeychain: Keychain = { resolve: async () => null };

/** Fixed credentials per registry name, e.g. a token the App was given for ghcr.io. */
export function staticKeychain(entries: Readonly<Record<string, Credentials>>): Keychain {
  return { resolve: async (registry) => entries[registryKey(registry)] ?? entries[registry] ?? null };
}

/** The first keychain that knows the registry wins. */
export function multiKeychain(...keychains: readonly Keychain[]): Keychain {
  return {
    async resolve(registry) {
      for (const keychain of keychains) {
        const found = await keychain.resolve(registry);
        if (found) return found;
      }
      return null;
    },
  };
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

export interface DockerConfig {
  readonly auths: Readonly<Record<string, AuthEntry>>;
  readonly credHelpers: Readonly<Record<string, string>>;
  readonly credsStore: string | null;
}

export type ConfigLookup =
  | { readonly source: "auths"; readonly credentials: Credentials }
  | { readonly source: "helper"; readonly helper: string; readonly serverUrl: string }
  | { readonly source: "none" };

/** Config keys may be URLs (`https://index.docker.io/v1/`); compare them as bare hosts, Hub aliases as docker.io. */
export function registryKey(key: string): string {
  const host = key
    .replace(/^[a-z]+:\/\//i, "")
    .split("/")[0]!
    .toLowerCase();
  return isDockerHub(host) ? DEFAULT_REGISTRY : host;
}

/** Parses config.json; an unreadable file is an empty config (Docker behaves alike). */
export function parseDockerConfig(text: string): DockerConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { auths: {}, credHelpers: {}, credsStore: null };
  }
  const record = (parsed ?? {}) as { auths?: unknown; credHelpers?: unknown; credsStore?: unknown };
  const isObject = (v: unknown): v is Record<string, never> => typeof v === "object" && v !== null && !Array.isArray(v);
  return {
    auths: isObject(record.auths) ? (record.auths as Record<string, AuthEntry>) : {},
    credHelpers: isObject(record.credHelpers) ? (record.credHelpers as Record<string, string>) : {},
    credsStore: typeof record.credsStore === "string" && record.credsStore ? record.credsStore : null,
  };
}

/**
 * Why config.json's text yields no credentials at all, or null when it is usable (an empty file
 * included). Never quotes the text: it holds secrets.
 */
export function dockerConfigProblem(text: string): string | null {
  if (text.trim() === "") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return "is not valid JSON";
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return "is not a JSON object";
  const { auths, credHelpers } = parsed as { auths?: unknown; credHelpers?: unknown };
  for (const [name, value] of [
    ["auths", auths],
    ["credHelpers", credHelpers],
  ] as const) {
    if (value !== undefined && (typeof value !== "object" || value === null || Array.isArray(value)))
      return `has "${name}" that is not an object`;
  }
  return null;
}

/** Where credentials for `registry` come from: credHelpers, then auths entries with credentials, then credsStore. */
export function lookupCredentials(config: DockerConfig, registry: string): ConfigLookup {
  const wanted = registryKey(registry);
  const serverUrl = wanted === "docker.io" ? "https://index.docker.io/v1/" : wanted;
  const helper = Object.entries(config.credHelpers).find(([key]) => registryKey(key) === wanted)?.[1];
  if (typeof helper === "string" && helper) return { source: "helper", helper, serverUrl };
  for (const [key, entry] of Object.entries(config.auths)) {
    if (registryKey(key) !== wanted || typeof entry !== "object" || entry === null) continue;
    const credentials = credentialsFromEntry(entry);
    if (credentials) return { source: "auths", credentials };
  }
  if (config.credsStore) return { source: "helper", helper: config.credsStore, serverUrl };
  return { source: "none" };
}

function credentialsFromEntry(entry: AuthEntry): Credentials | null {
  let username = typeof entry.username === "string" ? entry.username : "";
  let password = typeof entry.password === "string" ? entry.password : "";
  if (typeof entry.auth === "string" && entry.auth) {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) {
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
  }
  if (typeof entry.identitytoken === "string" && entry.identitytoken) {
    return { kind: "identity-token", username, identityToken: entry.identitytoken };
  }
  return username && password ? { kind: "basic", username, password } : null;
}

/** Reads a credential helper's `get` answer: `{"ServerURL","Username","Secret"}`. */
export function parseHelperOutput(stdout: string): Credentials | null {
  try {
    const parsed = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown };
    if (typeof parsed.Secret !== "string" || !parsed.Secret) return null;
    const username = typeof parsed.Username === "string" ? parsed.Username : "";
    if (username === "<token>") return { kind: "identity-token", username, identityToken: parsed.Secret };
    return { kind: "basic", username, password: parsed.Secret };
  } catch {
    return null;
  }
}

export interface DockerConfigKeychainOptions {
  /** Folder holding config.json; default `$DOCKER_CONFIG`, else `~/.docker`. */
  readonly configDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly helperTimeoutMs?: number;
  /**
   * Told (once per distinct problem) when config.json exists but cannot be read or used, with its
   * path and the reason, never its contents; default: a Node process warning.
   */
  readonly warn?: (message: string) => void;
}

/** Docker's own credential sources, read from the user's config.json on every lookup. */
export function dockerConfigKeychain(options: DockerConfigKeychainOptions = {}): Keychain {
  const env = options.env ?? process.env;
  const dir = options.configDir ?? env.DOCKER_CONFIG ?? join(homedir(), ".docker");
  const path = join(dir, "config.json");
  const warn = options.warn ?? ((message: string) => process.emitWarning(message));
  let reported: string | null = null;
  const report = (problem: string | null) => {
    const message = problem && `Docker config ${path} ${problem}; its credentials are not used`;
    if (message && message !== reported) warn(message);
    reported = message;
  };
  return {
    async resolve(registry) {
      const { text, unreadable } = await readFile(path, "utf8").then(
        (content) => ({ text: content, unreadable: null }),
        // A missing file is no config, as for Docker; anything else is said.
        (error: NodeJS.ErrnoException) => ({
          text: "",
          unreadable: error.code === "ENOENT" ? null : `could not be read (${error.code ?? "error"})`,
        }),
      );
      report(unreadable ?? dockerConfigProblem(text));
      const lookup = lookupCredentials(parseDockerConfig(text), registry);
      if (lookup.source === "none") return null;
      if (lookup.source === "auths") return lookup.credentials;
      return runCredentialHelper(lookup.helper, lookup.serverUrl, env, options.helperTimeoutMs ?? 10_000);
    },
  };
}

/** Runs `docker-credential-<name> get` with the server URL on stdin; "not found" is null. */
export function runCredentialHelper(
  name: string,
  serverUrl: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<Credentials | null> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    return Promise.reject(
      new RegistryError({
        kind: "unauthorized",
        message: `credential helper name "${name.slice(0, 40)}" is not valid`,
      }),
    );
  }
  const program = `docker-credential-${name}`;
  return new Promise((resolve, reject) => {
    const child = execFile(program, ["get"], { env, timeout: timeoutMs, maxBuffer: 64 * 1024 }, (error, stdout) => {
      // Helpers print "credentials not found" and exit 1 for unknown servers.
      if (error && /not found/i.test(String(stdout))) return resolve(null);
      if (error) {
        const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "is not installed" : "failed";
        return reject(
          new RegistryError({
            kind: "unauthorized",
            message: `credential helper ${program} ${reason} for ${registryKey(serverUrl)}`,
          }),
        );
      }
      resolve(parseHelperOutput(String(stdout)));
    });
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(serverUrl);
  });
}

/** Shorthand for `dockerConfigKeychain({ env, warn })`, for callers that carry their own environment. */
export function dockerKeychain(env: NodeJS.ProcessEnv = process.env, warn?: (message: string) => void): Keychain {
  return dockerConfigKeychain({ env, ...(warn ? { warn } : {}) });
}
