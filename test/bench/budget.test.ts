import { describe, expect, it } from "vitest";
import { atMost, formatFigure, missedBudgets, parseBenchArgs, selects } from "../../bench/budget.js";

describe("bench budgets and command line", () => {
  it("takes --check as a flag, not a section filter, and keeps words as filters", () => {
    expect(parseBenchArgs(["--check"])).toEqual({ ok: true, args: { check: true, words: [] } });
    expect(parseBenchArgs(["memory"])).toEqual({ ok: true, args: { check: false, words: ["memory"] } });
    expect(parseBenchArgs(["--check", "parse", "GitHub"])).toEqual({
      ok: true,
      args: { check: true, words: ["parse", "GitHub"] },
    });
    expect(parseBenchArgs(["--chekc"])).toMatchObject({ ok: false, error: expect.stringContaining("--chekc") });

    const all = { check: true, words: [] };
    expect(selects(all, "Memory: 10,000 repositories tracked")).toBe(true);
    const some = { check: false, words: ["github"] };
    expect(selects(some, "GitHub: scheduled cycles")).toBe(true);
    expect(selects(some, "Memory: 10,000 repositories tracked")).toBe(false);
  });

  it("prints each budget beside its figure and names the ones missed", () => {
    expect(formatFigure("parse + plan ms", atMost(1500, 2000))).toMatch(/^parse \+ plan ms +1500 +budget ≤ 2000: ok$/);
    expect(formatFigure("parse + plan ms", atMost(2001, 2000))).toMatch(/budget ≤ 2000: MISSED$/);
    expect(formatFigure("files", 2000)).toMatch(/^files +2000$/);
    expect(missedBudgets({ files: 10, held: atMost(1, 1), over: atMost(301, 300), nan: atMost(NaN, 0) })).toEqual([
      "over: 301 > 300",
      "nan: NaN > 0",
    ]);
  });
});
