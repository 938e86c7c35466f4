import { RegistryError } from "./errors.js";
import { parseRetryAfter } from "./headers.js";
import type { Transport } from "./transport.js";

export interface RetryOptions {
  /** Retries after the first attempt (default 3). */
  readonly retries?: number;
  /** First backoff wait; doubles each retry (default 200 ms). */
  readonly backoffBaseMs?: number;
  /** Longest wait (default 30 s): backoff is capped at it; a longer Retry-After ends the retries. */
  readonly maxWaitMs?: number;
  /**
   * Whether a request that timed out is sent again (default true). The CLI says false: a host that
   * did not answer within `--timeout` costs that timeout once, not once per retry.
   */
  readonly retryTimeouts?: boolean;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * How long to wait before retry number `attempt` (0-based): Retry-After when given, else backoff
 * with jitter; null when the registry asks for a longer wait than we may spend, so as not to ask
 * again before it said we could.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | null,
  options: Required<Pick<RetryOptions, "backoffBaseMs" | "maxWaitMs">>,
): number | null {
  if (retryAfterMs !== null) return retryAfterMs <= options.maxWaitMs ? retryAfterMs : null;
  const backoff = options.backoffBaseMs * 2 ** attempt;
  const jitter = backoff * 0.2 * Math.random();
  return Math.min(backoff + jitter, options.maxWaitMs);
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Retries 408, 429, 5xx and connection errors/timeouts with exponential backoff, honouring
 * `Retry-After`. When retries run out the last response is returned (or the last error thrown)
 * so the caller turns it into the right error kind.
 */
export function retryTransport(next: Transport, options: RetryOptions = {}): Transport {
  const retries = options.retries ?? 3;
  const timing = { backoffBaseMs: options.backoffBaseMs ?? 200, maxWaitMs: options.maxWaitMs ?? 30_000 };
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  return async (request) => {
    // Past the operation's deadline nothing is retried: the last answer or error stands.
    const pause = (ms: number): Promise<void> => untilAborted(sleep(ms), request.signal);
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await next(request);
        if (!isRetryableStatus(response.status) || attempt >= retries) return response;
        const wait = retryDelayMs(attempt, parseRetryAfter(response.headers.get("retry-after"), now()), timing);
        if (wait === null) return response;
        await pause(wait);
        if (request.signal?.aborted) return response;
      } catch (err) {
        const retryable =
          err instanceof RegistryError && err.retryable && (options.retryTimeouts !== false || !err.timedOut);
        if (!retryable || attempt >= retries || request.signal?.aborted) throw err;
        await pause(retryDelayMs(attempt, null, timing) ?? timing.maxWaitMs);
        if (request.signal?.aborted) throw err;
      }
    }
  };
}

/** Resolves when `wait` does or when `signal` aborts, whichever is first. */
function untilAborted(wait: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return wait;
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      signal.removeEventListener("abort", done);
      resolve();
    };
    signal.addEventListener("abort", done, { once: true });
    void wait.then(done);
  });
}
