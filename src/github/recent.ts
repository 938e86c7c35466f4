/**
 * A bounded memory of recent keys (delivery ids, refusals), in memory until a store keeps them:
 * each key counts for `ttlMs`, and past `max` keys the oldest are forgotten first, so a flood of
 * distinct keys costs at most `max` entries.
 */
export interface Recent {
  /** True when `key` was not seen within the last `ttlMs`; records it either way it is new. */
  first(key: string, now: number): boolean;
  /** Lets `key` count as new again (a delivery whose handler failed may be redelivered). */
  forget(key: string): void;
  readonly size: number;
}

export function createRecent(options: { readonly max: number; readonly ttlMs: number }): Recent {
  // Insertion order is time order: a key seen again after expiry is re-inserted at the end.
  const seen = new Map<string, number>();
  const prune = (now: number) => {
    for (const [key, at] of seen) {
      if (now - at < options.ttlMs && seen.size < options.max) break;
      seen.delete(key);
    }
  };
  return {
    first(key, now) {
      const at = seen.get(key);
      if (at !== undefined && now - at < options.ttlMs) return false;
      seen.delete(key);
      prune(now);
      seen.set(key, now);
      return true;
    },
    forget(key) {
      seen.delete(key);
    },
    get size() {
      return seen.size;
    },
  };
}
