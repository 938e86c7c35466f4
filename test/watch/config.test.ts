import { describe, expect, it } from "vitest";
import { parseInterval } from "../../src/watch/index.js";

describe("parseInterval", () => {
  it.each([
    [undefined, 60_000],
    ["", 60_000],
    ["5", 5000],
    ["0.5", 500],
    ["off", null],
    ["OFF", null],
  ])("%j → %j", (value, ms) => {
    expect(parseInterval("REPIN_WATCH_INTERVAL", value, 60)).toBe(ms);
  });

  it.each(["0", "-1", "1m", "soon"])("refuses %j, naming the variable", (value) => {
    expect(() => parseInterval("REPIN_WATCH_INTERVAL", value, 60)).toThrow(/REPIN_WATCH_INTERVAL must be/);
  });
});
