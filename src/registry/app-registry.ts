import type { lookup } from "node:dns";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createRegistry, type RegistryOptions } from "./client.js";
import { anonymousKeychain, dockerKeychain, parseDockerConfig, type Keychain } from "./credentials.js";
import { createHostHealth, memoizeRegistry } from "./memoize.js";
import type { Registry } from "./types.js";

export interface AppRegistryOptions extends Omit<RegistryOptions, "keychain" | "addressGuard"> {
  /** The operator's registry credentials. */
  readonly keychain: Keychain;
  /** Account logins whose installations may use them (case-insensitive), or `*` for all; empty: none. */
  readonly credentialAccounts: readonly string[];
  /** Hosts (`host` or `host:port`) repository content may point at although they are internal. */
  readonly privateRegistries: readonly string[];
  /** DNS lookup before the address check; tests give one that answers internal addresses. */
  readonly lookup?: typeof lookup;
}

/** One cycle's registry: each installation's account gets the view its credential scope allows. */
export interface RegistryViews {
  forAccount(login: string): Registry;
}

/**
 * The App's registry (SPEC 10): addresses checked before connecting, and the operator's
 * credentials only for the accounts named. Two clients (with and without credentials) so that no
 * cache, token or memoized answer obtained with credentials reaches an account without them; one
 * HostHealth per cycle shared by both (a host that is down is down for everyone).
 */
export function createAppRegistry(options: AppRegistryOptions): () => RegistryViews {
  const { keychain, credentialAccounts, privateRegistries, lookup, ...rest } = options;
  const addressGuard = { privateRegistries, ...(lookup ? { lookup } : {}) };
  const credentialed = createRegistry({ ...rest, keychain, addressGuard });
  const anonymous = createRegistry({ ...rest, keychain: anonymousKeychain, addressGuard });
  const accounts = new Set(credentialAccounts.map((login) => login.toLowerCase()));
  const mayUseCredentials = (login: string): boolean => accounts.has("*") || accounts.has(login.toLowerCase());
  return () => {
    const hosts = createHostHealth();
    const withCredentials = memoizeRegistry(credentialed, { hosts });
    const withoutCredentials = memoizeRegistry(anonymous, { hosts });
    return { forAccount: (login) => (mayUseCredentials(login) ? withCredentials : withoutCredentials) };
  };
}

/** A comma-separated environment variable as trimmed, non-empty entries. */
export function listFromEnv(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/**
 * The App's registry from the environment: `REPIN_INSECURE_REGISTRIES`, `REPIN_PRIVATE_REGISTRIES`,
 * `REPIN_CREDENTIAL_ACCOUNTS`, and credentials from Docker's config.json (`warn` hears that it is malformed).
 * `onRequest` hears every HTTP exchange (the App's metrics).
 */
export function appRegistryFromEnv(
  env: NodeJS.ProcessEnv,
  warn?: (message: string) => void,
  onRequest?: RegistryOptions["onRequest"],
): () => RegistryViews {
  return createAppRegistry({
    ...(onRequest ? { onRequest } : {}),
    keychain: dockerKeychain(env, warn),
    insecureRegistries: listFromEnv(env.REPIN_INSECURE_REGISTRIES),
    privateRegistries: listFromEnv(env.REPIN_PRIVATE_REGISTRIES),
    credentialAccounts: listFromEnv(env.REPIN_CREDENTIAL_ACCOUNTS),
  });
}

/** The start-up WARN when Docker's config.json holds credentials but no account may use them; else null. */
export function credentialScopeWarning(env: NodeJS.ProcessEnv): string | null {
  if (listFromEnv(env.REPIN_CREDENTIAL_ACCOUNTS).length > 0) return null;
  const dir = env.DOCKER_CONFIG ?? join(homedir(), ".docker");
  let text: string;
  try {
    text = readFileSync(join(dir, "config.json"), "utf8");
  } catch {
    return null;
  }
  const config = parseDockerConfig(text);
  const hasCredentials =
    Object.keys(config.auths).length > 0 || Object.keys(config.credHelpers).length > 0 || config.credsStore !== null;
  if (!hasCredentials) return null;
  return "registry credentials found in Docker's config.json, but REPIN_CREDENTIAL_ACCOUNTS is not set: no installation uses them (set it to account logins, or * for all)";
}
