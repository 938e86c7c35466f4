import { describe, expect, it } from "vitest";
import { logStartLine, upstreamFromEnv } from "../../src/app/start-line.js";
import { openSqliteStore } from "../../src/store/index.js";

describe("the start line", () => {
  it("says what is on: schedule, intervals, feeds, store, events endpoint", async () => {
    const lines: [Record<string, unknown>, string][] = [];
    const log = { info: (fields: Record<string, unknown>, message: string) => lines.push([fields, message]) };
    const store = await openSqliteStore(":memory:");
    const env = {
      REPIN_WATCH_INTERVAL: "30",
      REPIN_FEED_INTERVAL: "off",
      REPIN_ADVISORY_FEEDS: "secdb:wolfi:https://feeds.example/security.json",
    };
    logStartLine(log as never, {
      schedule: "0 * * * *",
      store,
      settings: upstreamFromEnv(env),
      registryEvents: true,
      env,
    });
    expect(lines).toEqual([
      [
        {
          schedule: "0 * * * *",
          watchInterval: "30s",
          feedInterval: "off",
          feeds: 1,
          store: store.location,
          registryEvents: "on",
        },
        "repin started",
      ],
    ]);
    await store.close();
  });

  it("the defaults are a watch tick a minute and a feed look every five minutes; a typo stops the start", () => {
    expect(upstreamFromEnv({})).toEqual({ watchIntervalMs: 60_000, feedIntervalMs: 300_000 });
    expect(() => upstreamFromEnv({ REPIN_FEED_INTERVAL: "5m" })).toThrow(/REPIN_FEED_INTERVAL must be/);
  });
});
