import { describe, expect, it } from "vitest";
import { dashboardSealOf, renderDashboard, withDashboardSeal } from "../../src/dashboard/index.js";
import { dashboardSeal, isDashboardSeal, markerKey } from "../../src/proposals/index.js";

const key = markerKey("a secret");
const body = renderDashboard({ references: [], openPrs: [], ignores: [], paused: null });

describe("the dashboard's seal", () => {
  it("is bound to the key, the repository (any case) and the issue number", () => {
    const seal = dashboardSeal(key, "Acme/Svc", 7);
    expect(isDashboardSeal(key, "acme/svc", 7, seal)).toBe(true);
    expect(isDashboardSeal(key, "acme/svc", 8, seal)).toBe(false);
    expect(isDashboardSeal(key, "acme/other", 7, seal)).toBe(false);
    expect(isDashboardSeal(markerKey("another"), "acme/svc", 7, seal)).toBe(false);
    expect(isDashboardSeal(key, "acme/svc", 7, "")).toBe(false);
  });

  it("is the body's only seal, on its last line, and reads back as written", () => {
    expect(dashboardSealOf(body)).toBeNull();
    const once = withDashboardSeal(body, "a".repeat(32));
    expect(once.endsWith("\n\n<!-- repin:dashboard-seal:" + "a".repeat(32) + " -->")).toBe(true);
    const twice = withDashboardSeal(once, "b".repeat(32));
    expect(twice).toBe(withDashboardSeal(body, "b".repeat(32)));
    expect(dashboardSealOf(twice)).toBe("b".repeat(32));
    // A seal someone mangled is still a seal: present, and it will not verify.
    expect(dashboardSealOf(`${body}\n<!-- repin:dashboard-seal:nothex -->`)).toBe("nothex");
  });
});
