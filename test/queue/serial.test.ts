import { describe, expect, it } from "vitest";
import { createSerial } from "../../src/queue/index.js";

describe("the per-repository lock", () => {
  it("runs work on one repository one at a time, and other repositories alongside", async () => {
    const locks = createSerial();
    const events: string[] = [];
    const step = (name: string, ms: number) => async () => {
      events.push(`${name}:start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      events.push(`${name}:end`);
    };
    await Promise.all([locks("acme/a", step("a1", 30)), locks("ACME/a", step("a2", 1)), locks("acme/b", step("b", 1))]);
    expect(events.indexOf("a2:start")).toBeGreaterThan(events.indexOf("a1:end"));
    expect(events.indexOf("b:end")).toBeLessThan(events.indexOf("a1:end"));
  });

  it("keeps the chain going after a failure", async () => {
    const locks = createSerial();
    await expect(locks("r", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(locks("r", async () => 42)).resolves.toBe(42);
  });
});
