import { afterAll, beforeAll, expect, it } from "vitest";
import { createFeedFetcher } from "../../src/advisory-feeds/index.js";
import { createAdvisoryStore } from "../../src/explain/index.js";
import { startFeedServer, type FeedServer } from "./images.js";

// Feed URLs may carry credentials (a private mirror's token, user:password): what the App logs
// about a feed names it the way registry URLs are named, without them.
let feeds: FeedServer;
beforeAll(async () => {
  feeds = await startFeedServer();
});
afterAll(async () => feeds?.stop());

it("names failing feeds by their redacted URL", async () => {
  const host = new URL(feeds.url).host;
  const store = createAdvisoryStore({
    feeds: [
      { format: "osv", url: `${feeds.url}/missing.json?token=feed-secret-1` },
      { format: "osv", url: `http://mirror:feed-secret-2@${host}/missing.json` },
    ],
    fetcher: createFeedFetcher(),
  });
  const { problems } = await store.refresh();
  expect(problems).toHaveLength(2);
  expect(problems[0]).toBe(`${feeds.url}/missing.json?token=REDACTED: HTTP 404`);
  expect(problems[1]).toMatch(new RegExp(`^http://${host}/missing.json: `));
  expect(problems.join("\n")).not.toMatch(/feed-secret/);
});
