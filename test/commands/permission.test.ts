import { describe, expect, it } from "vitest";
import { canAct, isBotSender } from "../../src/commands/index.js";

describe("canAct", () => {
  it("lets admin, maintain and write act, and nobody else", () => {
    for (const p of ["admin", "maintain", "write", "WRITE"]) expect(canAct(p), p).toBe(true);
    for (const p of ["triage", "read", "none", "", "owner", "push"]) expect(canAct(p), p).toBe(false);
    expect(canAct(null)).toBe(false);
    expect(canAct(undefined)).toBe(false);
  });

  it("reads GitHub's permission answer: legacy permission or role_name", () => {
    expect(canAct({ permission: "write", role_name: "maintain" })).toBe(true);
    expect(canAct({ permission: "read", role_name: "triage" })).toBe(false);
    expect(canAct({ permission: "admin", role_name: "admin" })).toBe(true);
    // A custom role: its name means nothing to us, its base permission decides.
    expect(canAct({ permission: "write", role_name: "release-manager" })).toBe(true);
    expect(canAct({ permission: "read", role_name: "auditor" })).toBe(false);
    expect(canAct({ permission: null, role_name: null })).toBe(false);
    expect(canAct({})).toBe(false);
  });
});

describe("isBotSender", () => {
  it("recognizes bots by type or by the [bot] login suffix", () => {
    expect(isBotSender({ type: "Bot", login: "repin" })).toBe(true);
    expect(isBotSender({ login: "repin[bot]" })).toBe(true);
    expect(isBotSender({ type: "User", login: "dependabot[BOT]" })).toBe(true);
    expect(isBotSender({ type: "User", login: "octocat" })).toBe(false);
    expect(isBotSender({ type: "Organization", login: "botany" })).toBe(false);
  });
});
