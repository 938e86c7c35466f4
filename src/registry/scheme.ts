import { isDockerHub } from "../reference/index.js";
import { RegistryError } from "./errors.js";

/** The host that serves the API for a normalized registry name (Docker Hub's API lives elsewhere). */
export function apiHost(registry: string): string {
  return isDockerHub(registry) ? "registry-1.docker.io" : registry;
}

function splitHostPort(host: string): { hostname: string; port: string | null } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(host);
  if (bracketed) return { hostname: bracketed[1]!.toLowerCase(), port: bracketed[2] ?? null };
  const parts = host.split(":");
  if (parts.length === 2) return { hostname: parts[0]!.toLowerCase(), port: parts[1]! };
  return { hostname: host.toLowerCase(), port: null };
}

/** `localhost`, `127.0.0.0/8` and `::1`, with any port: Docker lets these speak plain HTTP. */
export function isLoopbackHost(host: string): boolean {
  const { hostname } = splitHostPort(host);
  if (hostname === "localhost" || hostname === "::1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Plain HTTP is allowed for loopback hosts and hosts the operator listed (`host` or `host:port`). */
export function allowsPlainHttp(host: string, insecureRegistries: readonly string[]): boolean {
  if (isLoopbackHost(host)) return true;
  const { hostname } = splitHostPort(host);
  return insecureRegistries.some((entry) => {
    const lower = entry.toLowerCase();
    return lower === host.toLowerCase() || (!lower.includes(":") && lower === hostname);
  });
}

/** Base URL (`scheme://host`) for a registry's API. */
export function registryBaseUrl(registry: string, insecureRegistries: readonly string[]): URL {
  const host = apiHost(registry);
  const scheme = allowsPlainHttp(host, insecureRegistries) ? "http" : "https";
  return new URL(`${scheme}://${host}`);
}

/** Throws `insecure-refused` for a plain-HTTP URL whose host may not use it. */
export function assertSchemeAllowed(url: URL, method: string, insecureRegistries: readonly string[]): void {
  if (url.protocol === "https:") return;
  if (url.protocol === "http:" && allowsPlainHttp(url.host, insecureRegistries)) return;
  throw new RegistryError({
    kind: "insecure-refused",
    method,
    url,
    message: `refused ${url.protocol.replace(":", "")} to ${url.host}: plain HTTP is only for loopback hosts and insecure registries listed by the operator`,
  });
}
