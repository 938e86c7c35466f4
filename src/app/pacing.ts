/**
 * Write pacing toward GitHub (SPEC 9): about 80 content-creating requests a minute per
 * installation, shared by every replica. Each write waits for its installation's next slot,
 * which the store hands out atomically (src/store's `pacing`), so replicas sharing a database
 * keep to one pace. Reads, and the requests GitHub does not count (installation tokens), go at once.
 */
import type { WritePacing } from "../store/index.js";

export const DEFAULT_WRITES_PER_MINUTE = 80;

/**
 * Requests that create content: POST, PATCH, PUT and DELETE, except the App's token exchanges
 * (GitHub does not count them; Octokit's auth makes them itself, this is for a direct call).
 */
export function isContentWrite(method: string, url: string): boolean {
  if (!["POST", "PATCH", "PUT", "DELETE"].includes(method.toUpperCase())) return false;
  const path = url.replace(/^https?:\/\/[^/]+/, "").split("?")[0] ?? "";
  return !/^(\/api\/v3)?\/(app\/installations\/[^/]+\/access_tokens|applications\/[^/]+\/token(\/scoped)?|login\/oauth\/access_token)$/.test(
    path,
  );
}

/** The gap between two slots: a minute over the rate, plus 10 ms so network jitter never puts one more into a minute. */
export function slotIntervalMs(writesPerMinute: number): number {
  return Math.ceil(60_000 / writesPerMinute) + 10;
}

export interface PacerOptions {
  readonly pacing: WritePacing;
  readonly writesPerMinute: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The GitHub hook's `pace`: resolves when `request` may go (at once unless it is a content write). */
export function createPacer(
  options: PacerOptions,
): (installation: number, request: { readonly method: string; readonly url: string }) => Promise<void> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const interval = slotIntervalMs(options.writesPerMinute);
  return async (installation, request) => {
    if (!isContentWrite(request.method, request.url)) return;
    const slot = await options.pacing.take(`installation:${installation}`, now(), interval);
    const wait = slot - now();
    if (wait > 0) await sleep(wait);
  };
}

/** `REPIN_GITHUB_WRITES_PER_MINUTE` (default 80; `off`: no pacing, for a GitHub that does not limit). */
export function writesPerMinuteFromEnv(env: NodeJS.ProcessEnv): number | null {
  const raw = env.REPIN_GITHUB_WRITES_PER_MINUTE?.trim();
  if (!raw) return DEFAULT_WRITES_PER_MINUTE;
  if (raw === "off") return null;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`REPIN_GITHUB_WRITES_PER_MINUTE must be a positive number or "off", not "${raw}"`);
  return value;
}
