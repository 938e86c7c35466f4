import { describe, expect, it } from "vitest";
import { storeBackends } from "./backends.js";

const backends = storeBackends();

describe.each(backends)("remembered on $name", (backend) => {
  describe("recent keys (delivery ids, refusals)", () => {
    it("says a key is new once per interval, and again after it", async () => {
      const recent = (await backend.open()).recent("delivery", 1_000);
      expect(await recent.first("a", 0)).toBe(true);
      expect(await recent.first("a", 999)).toBe(false);
      expect(await recent.first("a", 1_000)).toBe(true);
      expect(await recent.first("a", 1_500)).toBe(false);
    });

    it("keeps kinds apart, and a forgotten key is new again", async () => {
      const store = await backend.open();
      const deliveries = store.recent("delivery", 60_000);
      const refusals = store.recent("refusal", 60_000);
      expect(await deliveries.first("k", 0)).toBe(true);
      expect(await refusals.first("k", 0)).toBe(true);
      await deliveries.forget("k");
      expect(await deliveries.first("k", 1)).toBe(true);
      expect(await refusals.first("k", 1)).toBe(false);
    });
  });

  describe("records and first sightings", () => {
    it("keep the first sighting's time, and the last record written", async () => {
      const store = await backend.open();
      await store.firstSeen.record(new Map([["r/a@sha256:1", 100]]));
      await store.firstSeen.record(
        new Map([
          ["r/a@sha256:1", 500],
          ["r/a@sha256:2", 600],
        ]),
      );
      expect(await store.firstSeen.get(["r/a@sha256:1", "r/a@sha256:2", "r/a@sha256:3"])).toEqual(
        new Map([
          ["r/a@sha256:1", 100],
          ["r/a@sha256:2", 600],
        ]),
      );
      await store.checks.put("acme/web", "abc success 1");
      await store.checks.put("acme/web", "def failure 2");
      expect(await store.checks.get("acme/web")).toBe("def failure 2");
      await store.checks.delete("acme/web");
      expect(await store.checks.get("acme/web")).toBeUndefined();
    });
  });
});
