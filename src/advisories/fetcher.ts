/** How the core asks for a feed's text; src/advisory-feeds fetches it over HTTP. */
export type FeedResult =
  | { readonly ok: true; readonly url: string; readonly body: string; readonly fromCache: boolean }
  | { readonly ok: false; readonly url: string; readonly status?: number; readonly message: string };

export interface FeedFetcher {
  get(url: string): Promise<FeedResult>;
}
