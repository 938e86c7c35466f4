import { describe, expect, it } from "vitest";
import { isValidCron, isValidTimeZone, isWithinSchedule, parseDuration } from "../../src/config/index.js";

// 2024-03-04 is a Monday.
const at = (iso: string): Date => new Date(iso);

describe("isWithinSchedule", () => {
  const nights = ["* 0-6 * * 1-5"];
  it.each([
    ["2024-03-04T00:00:00Z", true, "Monday 00:00"],
    ["2024-03-04T06:59:59Z", true, "Monday 06:59"],
    ["2024-03-04T07:00:00Z", false, "Monday 07:00"],
    ["2024-03-08T03:30:00Z", true, "Friday night"],
    ["2024-03-09T03:30:00Z", false, "Saturday night"],
    ["2024-03-10T03:30:00Z", false, "Sunday night"],
  ])("weekday nights in UTC: %s → %s (%s)", (iso, open) => {
    expect(isWithinSchedule(nights, at(iso))).toBe(open);
  });

  it("reads the wall clock in the time zone, summer time included", () => {
    // 05:30 in Berlin is 04:30Z in winter (CET) and 03:30Z in summer (CEST).
    expect(isWithinSchedule(["30 5 * * *"], at("2024-01-15T04:30:00Z"), "Europe/Berlin")).toBe(true);
    expect(isWithinSchedule(["30 5 * * *"], at("2024-07-15T03:30:00Z"), "Europe/Berlin")).toBe(true);
    expect(isWithinSchedule(["30 5 * * *"], at("2024-07-15T04:30:00Z"), "Europe/Berlin")).toBe(false);
    // Monday 01:00 in Tokyo is still Sunday in UTC.
    expect(isWithinSchedule(["* * * * mon"], at("2024-03-03T16:00:00Z"), "Asia/Tokyo")).toBe(true);
    expect(isWithinSchedule(["* * * * mon"], at("2024-03-03T16:00:00Z"))).toBe(false);
  });

  it("is open any time when the schedule is empty, and matches any one of several expressions", () => {
    expect(isWithinSchedule([], at("2024-03-09T12:00:00Z"))).toBe(true);
    const windows = ["* 0-6 * * 1-5", "* * * * sat,sun"];
    expect(isWithinSchedule(windows, at("2024-03-09T12:00:00Z"))).toBe(true);
    expect(isWithinSchedule(windows, at("2024-03-05T12:00:00Z"))).toBe(false);
  });

  it("handles steps, lists, names and Sunday as 0 or 7", () => {
    expect(isWithinSchedule(["*/15 * * * *"], at("2024-03-04T10:45:00Z"))).toBe(true);
    expect(isWithinSchedule(["*/15 * * * *"], at("2024-03-04T10:46:00Z"))).toBe(false);
    expect(isWithinSchedule(["5/20 * * * *"], at("2024-03-04T10:25:00Z"))).toBe(true);
    expect(isWithinSchedule(["0 9 1,15 * *"], at("2024-03-15T09:00:00Z"))).toBe(true);
    expect(isWithinSchedule(["* * * jan-mar *"], at("2024-03-15T09:00:00Z"))).toBe(true);
    expect(isWithinSchedule(["* * * APR *"], at("2024-03-15T09:00:00Z"))).toBe(false);
    expect(isWithinSchedule(["* * * * 7"], at("2024-03-10T09:00:00Z"))).toBe(true);
    expect(isWithinSchedule(["* * * * 0"], at("2024-03-10T09:00:00Z"))).toBe(true);
    expect(isWithinSchedule(["* * * * 5-7"], at("2024-03-10T09:00:00Z"))).toBe(true);
  });

  it("matches either day field when both are restricted, as cron does", () => {
    // The 1st of the month or any Friday; 2024-03-08 is a Friday, 2024-03-01 too, 2024-03-05 a Tuesday.
    expect(isWithinSchedule(["* * 1 * fri"], at("2024-03-08T09:00:00Z"))).toBe(true);
    expect(isWithinSchedule(["* * 2 * mon"], at("2024-03-02T09:00:00Z"))).toBe(true);
    expect(isWithinSchedule(["* * 1 * fri"], at("2024-03-05T09:00:00Z"))).toBe(false);
  });

  it("never matches with an invalid expression or time zone", () => {
    expect(isWithinSchedule(["before 6am"], at("2024-03-04T05:00:00Z"))).toBe(false);
    expect(isWithinSchedule(["* * * * *"], at("2024-03-04T05:00:00Z"), "Nowhere/Land")).toBe(false);
  });
});

describe("isValidCron", () => {
  it.each([
    "* * * * *",
    "* 0-6 * * 1-5",
    "*/15 * * * *",
    "0 9 1,15 * *",
    "0 22 * * sun-thu",
    "0 0 * dec *",
    "5-55/10 * * * *",
    " 0  6 * * * ",
  ])("accepts %j", (expr) => expect(isValidCron(expr)).toBe(true));
  it.each([
    "",
    "* * * *",
    "* * * * * *",
    "60 * * * *",
    "* 24 * * *",
    "* * 0 * *",
    "* * * 13 *",
    "* * * * 8",
    "*/0 * * * *",
    "5-1 * * * *",
    "a * * * *",
    "1-2-3 * * * *",
    "*/5/2 * * * *",
    "before 6am on monday",
    "@daily",
  ])("rejects %j", (expr) => expect(isValidCron(expr)).toBe(false));
});

describe("isValidTimeZone", () => {
  it("knows IANA names and UTC, not made-up ones", () => {
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("America/Argentina/Buenos_Aires")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });
});

describe("parseDuration", () => {
  it.each([
    ["30s", 30_000],
    ["30m", 1_800_000],
    ["24h", 86_400_000],
    ["3d", 259_200_000],
    ["1w", 604_800_000],
    ["1d12h", 129_600_000],
    ["0m", 0],
  ])("%s = %d ms", (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(["", "24", "h", "1.5h", "-1h", "24 h", "1y", "1H", "24hours", "99999999999999999999w"])(
    "rejects %j",
    (text) => {
      expect(parseDuration(text)).toBeNull();
    },
  );
});
