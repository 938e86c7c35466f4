import type { FeedFetcher } from "../advisories/index.js";

export interface FeedFetcherOptions {
  readonly fetch?: typeof globalThis.fetch;
  /** Largest body accepted; 64 MiB when not given. */
  readonly maxBytes?: number;
  readonly timeoutMs?: number;
  /**
   * Where the last copies are kept across restarts (the App's store), or how to find it once it is
   * open (undefined: not yet); without it, only in memory.
   */
  readonly copies?: FeedCopies | (() => FeedCopies | undefined);
}

export interface FeedCopy {
  readonly body: string;
  readonly etag: string | null;
  readonly lastModified: string | null;
}

/** The last copy of each feed with its validators (src/store's `FeedCopyStore` has this shape). */
export interface FeedCopies {
  get(url: string): Promise<FeedCopy | undefined>;
  put(url: string, copy: FeedCopy): Promise<void>;
}

/**
 * Keeps the last body per URL (in memory, and in `copies` when given, so a restarted App
 * revalidates instead of downloading) and revalidates it with If-None-Match / If-Modified-Since.
 * A store that fails costs the copy, never the feed.
 */
export function createFeedFetcher(options: FeedFetcherOptions = {}): FeedFetcher {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const remembered = new Map<string, FeedCopy>();
  const kept = (): FeedCopies | undefined => (typeof options.copies === "function" ? options.copies() : options.copies);

  return {
    async get(url) {
      const last =
        remembered.get(url) ??
        (await kept()
          ?.get(url)
          .catch(() => undefined));
      const headers: Record<string, string> = { accept: "application/json" };
      if (last?.etag) headers["if-none-match"] = last.etag;
      if (last?.lastModified) headers["if-modified-since"] = last.lastModified;
      let response: Response;
      try {
        response = await fetchFn(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        return { ok: false, url, message: `request failed: ${(error as Error).message}` };
      }
      if (response.status === 304 && last) {
        await response.body?.cancel();
        remembered.set(url, last);
        return { ok: true, url, body: last.body, fromCache: true };
      }
      if (!response.ok) {
        await response.body?.cancel();
        return { ok: false, url, status: response.status, message: `HTTP ${response.status}` };
      }
      const body = await readCapped(response, maxBytes);
      if (body === null) return { ok: false, url, status: response.status, message: `body over ${maxBytes} bytes` };
      const copy = { body, etag: response.headers.get("etag"), lastModified: response.headers.get("last-modified") };
      remembered.set(url, copy);
      if (copy.etag !== null || copy.lastModified !== null)
        await kept()
          ?.put(url, copy)
          .catch(() => undefined);
      return { ok: true, url, body, fromCache: false };
    },
  };
}

async function readCapped(response: Response, maxBytes: number): Promise<string | null> {
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    // Leaving the loop cancels the stream.
    if (size > maxBytes) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
