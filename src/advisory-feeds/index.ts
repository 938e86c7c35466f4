/**
 * The advisory feeds over HTTP: the adapter behind the `FeedFetcher` port of src/advisories. It asks
 * with conditional requests, so an unchanged feed costs a 304 and no body.
 */
export { createFeedFetcher, type FeedCopies, type FeedCopy, type FeedFetcherOptions } from "./http.js";
