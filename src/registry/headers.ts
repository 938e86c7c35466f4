import type { RateLimit } from "./types.js";
/** Pure parsers for the HTTP headers the registry protocol depends on. */

export type Challenge =
  | {
      readonly scheme: "bearer";
      readonly realm: string;
      readonly service: string | null;
      readonly scope: string | null;
    }
  | { readonly scheme: "basic"; readonly realm: string | null };

/**
 * Parses `WWW-Authenticate`, e.g. `Bearer realm="https://auth.docker.io/token",service="registry.docker.io"`.
 * Several challenges may share one header; Bearer wins over Basic. Returns null when none is usable.
 */
export function parseWwwAuthenticate(header: string | null | undefined): Challenge | null {
  if (!header) return null;
  const challenges: { scheme: string; params: Map<string, string> }[] = [];
  // scheme, or key=value with a quoted or bare value; commas separate both.
  const token = /\s*(?:([A-Za-z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))|([A-Za-z][\w-]*))\s*,?/y;
  let match: RegExpExecArray | null;
  while (token.lastIndex < header.length && (match = token.exec(header)) !== null) {
    if (match[0] === "") break;
    if (match[4] !== undefined) {
      challenges.push({ scheme: match[4].toLowerCase(), params: new Map() });
      continue;
    }
    const current = challenges.at(-1);
    if (!current || match[1] === undefined) continue;
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : (match[3] ?? "");
    current.params.set(match[1].toLowerCase(), value);
  }
  const bearer = challenges.find((c) => c.scheme === "bearer" && c.params.get("realm"));
  if (bearer) {
    return {
      scheme: "bearer",
      realm: bearer.params.get("realm") ?? "",
      service: bearer.params.get("service") ?? null,
      scope: bearer.params.get("scope") ?? null,
    };
  }
  const basic = challenges.find((c) => c.scheme === "basic");
  return basic ? { scheme: "basic", realm: basic.params.get("realm") ?? null } : null;
}

/** `Retry-After` as a wait in milliseconds (delta-seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP dates name the weekday and month; Date.parse alone would take "-3" for a year.
  const date = /[a-z]{3}/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

/**
 * What a registry says is left of its rate limit (`RateLimit-Remaining`, e.g. Docker Hub's
 * `0;w=21600`, and `RateLimit-Reset` in seconds); null when it says nothing readable.
 */
export function parseRateLimit(headers: Headers): RateLimit | null {
  const remaining = /^\s*(\d+)/.exec(headers.get("ratelimit-remaining") ?? "")?.[1];
  if (remaining === undefined) return null;
  const reset = /^\s*(\d+)\s*$/.exec(headers.get("ratelimit-reset") ?? "")?.[1];
  return { remaining: Number(remaining), resetMs: reset === undefined ? null : Number(reset) * 1000 };
}

/** The target of the `rel="next"` entry of a `Link` header, as written (maybe relative). */
export function parseNextLink(header: string | null | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const params = match[2] ?? "";
    if (/;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(params)) return match[1] ?? null;
  }
  return null;
}
