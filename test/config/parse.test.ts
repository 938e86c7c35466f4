import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseRepinConfig, RepinConfigSchema } from "../../src/config/index.js";

const full = readFileSync(new URL("./__fixtures__/full.yml", import.meta.url), "utf8");

const DEFAULTS = {
  pin: false,
  paths: { include: [], exclude: [] },
  ignore: [],
  group: "image",
  labels: [],
  reviewers: [],
  teamReviewers: [],
  assignees: [],
  prConcurrentLimit: 0,
  rebuild: { dispatch: false },
  schedule: [],
  timezone: "UTC",
  platforms: [],
  updateTags: "patch",
  registryMap: {},
  dashboard: true,
};

/** The error a config text gives; fails the test when it parses. */
function errorOf(text: string): { file: string; line: number; reason: string } {
  const result = parseRepinConfig(text);
  if (result.ok) throw new Error(`expected an error for:\n${text}`);
  return result.error;
}

describe("parseRepinConfig", () => {
  it("reads every key of a full config", () => {
    expect(parseRepinConfig(full)).toEqual({
      ok: true,
      config: {
        pin: true,
        paths: { include: ["docker/**/*.df"], exclude: ["legacy/**"] },
        ignore: ["docker.io/library/python", "cgr.dev/chainguard/*", "node:20"],
        group: "all",
        labels: ["dependencies", "docker"],
        reviewers: ["octocat"],
        teamReviewers: ["platform"],
        assignees: ["hubot"],
        prConcurrentLimit: 3,
        rebuild: { dispatch: true },
        schedule: ["* 0-6 * * 1-5", "*/15 * * * sat,sun"],
        timezone: "Europe/Berlin",
        platforms: ["linux/amd64", "linux/arm64/v8"],
        updateTags: "minor",
        registryMap: { "mirror.corp/hub": "docker.io", "localhost:5000/cgr": "cgr.dev" },
        minimumAge: "24h",
        dashboard: false,
      },
    });
  });

  it.each([
    ["an empty file", ""],
    ["only comments", "# nothing here yet\n\n"],
    ["an explicit null document", "~\n"],
  ])("gives the defaults for %s", (_what, text) => {
    expect(parseRepinConfig(text)).toEqual({ ok: true, config: DEFAULTS });
  });

  it("fills defaults inside partly written nested keys", () => {
    const result = parseRepinConfig("paths:\n  exclude: [vendor/**]\nrebuild: {}\n");
    expect(result.ok && result.config.paths).toEqual({ include: [], exclude: ["vendor/**"] });
    expect(result.ok && result.config.rebuild).toEqual({ dispatch: false });
  });

  it("uses the file name it is given", () => {
    expect(errorOf("pin: 1\n").file).toBe(".github/repin.yml");
    const result = parseRepinConfig("pin: 1\n", "config/repin.yml");
    expect(result.ok ? null : result.error.file).toBe("config/repin.yml");
  });

  // Each key wrong once, below a few valid lines, so the line number means something.
  const HEAD = "# repin\n# settings\n\n";
  it.each([
    ["_extends", "_extends: [a]", 4, /^_extends: .*expected string/],
    ["pin", "pin: yes", 4, /^pin: .*expected boolean/],
    ["paths", "paths: docker/", 4, /^paths: .*expected object/],
    ["paths.include", "paths:\n  include: docker/**", 5, /^paths\.include: .*expected array/],
    ["paths.exclude", "paths:\n  include: []\n  exclude:\n    - 7", 7, /^paths\.exclude\.0: .*expected string/],
    ["ignore", "ignore: python", 4, /^ignore: .*expected array/],
    ["group", "group: repo", 4, /^group: .*"image"\|"all"/],
    ["labels", "labels:\n  - ok\n  - [nested]", 6, /^labels\.1: .*expected string/],
    ["reviewers", "reviewers: octocat", 4, /^reviewers: .*expected array/],
    ["teamReviewers", "teamReviewers: {a: 1}", 4, /^teamReviewers: .*expected array/],
    ["assignees", "assignees: [1]", 4, /^assignees\.0: .*expected string/],
    ["prConcurrentLimit (negative)", "prConcurrentLimit: -1", 4, /^prConcurrentLimit: .*>=0/],
    ["prConcurrentLimit (fraction)", "prConcurrentLimit: 1.5", 4, /^prConcurrentLimit: .*expected int/],
    ["rebuild", "rebuild: true", 4, /^rebuild: .*expected object/],
    ["rebuild.dispatch", 'rebuild:\n  dispatch: "true"', 5, /^rebuild\.dispatch: .*expected boolean/],
    ["schedule (a string)", 'schedule: "* * * * *"', 4, /^schedule: .*expected array/],
    [
      "schedule (bad cron)",
      'schedule:\n  - "* 0-6 * * 1-5"\n  - before 6am',
      6,
      /^schedule\.1: not a 5-field cron expression/,
    ],
    ["timezone", "timezone: Mars/Olympus_Mons", 4, /^timezone: not an IANA time zone/],
    ["platforms", "platforms: [linux/amd64, amd64]", 4, /^platforms\.1: not os\/arch/],
    ["updateTags", "updateTags: all", 4, /^updateTags: .*"patch"\|"minor"\|"major"\|"none"/],
    ["registryMap (list)", "registryMap: [mirror.corp]", 4, /^registryMap: .*expected record/],
    [
      "registryMap (key)",
      'registryMap:\n  "https://mirror.corp": docker.io',
      5,
      /^registryMap\.https:\/\/mirror\.corp: not a registry/,
    ],
    ["registryMap (value)", "registryMap:\n  mirror.corp: 5", 5, /^registryMap\.mirror\.corp: .*expected string/],
    ["minimumAge", "minimumAge: 1 day", 4, /^minimumAge: not a duration/],
    ["dashboard", "dashboard: on", 4, /^dashboard: .*expected boolean/],
  ])("names the line of a wrong %s", (_key, body, line, reason) => {
    const error = errorOf(`${HEAD}${body}\n`);
    expect(error.line).toBe(line);
    expect(error.reason).toMatch(reason);
  });

  it("rejects an unknown key at its own line, nested or not", () => {
    expect(errorOf("pin: true\nautomerge: true\n")).toEqual({
      file: ".github/repin.yml",
      line: 2,
      reason: "automerge: unknown key",
    });
    expect(errorOf("rebuild:\n  dispatch: true\n  workflow: build\n")).toMatchObject({
      line: 3,
      reason: "rebuild.workflow: unknown key",
    });
  });

  it("reports the first problem in the file and counts the rest", () => {
    const error = errorOf("labels: 1\npin: 2\nbogus: 3\n");
    expect(error).toMatchObject({ line: 1, reason: expect.stringMatching(/^labels: .*\(and 2 more problems\)$/) });
  });

  it.each([
    ["an unclosed flow sequence", "pin: true\nlabels: [a, b\nassignees: []\n", 3],
    ["a tab indent", "paths:\n\tinclude: []\n", 2],
    ["a duplicate key", "pin: true\ngroup: all\npin: false\n", 3],
    ["a misaligned key", "rebuild:\n  dispatch: true\n x: 1\n", 3],
  ])("gives the YAML error's line for %s", (_what, text, line) => {
    const error = errorOf(text);
    expect(error.line).toBe(line);
    expect(error.reason).not.toMatch(/at line \d+/);
    expect(error.reason.length).toBeGreaterThan(5);
  });

  it("rejects a document that is not a mapping", () => {
    expect(errorOf("# list\n- pin\n")).toMatchObject({
      line: 2,
      reason: "the config must be a mapping of keys to values",
    });
    expect(errorOf("true\n").line).toBe(1);
  });

  it("never throws, even on an alias bomb", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      ..."bcdefghi".split("").map((k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcdefghi"[i]}`).join(", ")}]`),
    ].join("\n");
    expect(() => parseRepinConfig(bomb)).not.toThrow();
    expect(parseRepinConfig(bomb).ok).toBe(false);
  });

  it("agrees with the schema's own parse of the same data", () => {
    const direct = RepinConfigSchema.parse({ pin: true, updateTags: "major" });
    const viaYaml = parseRepinConfig("pin: true\nupdateTags: major\n");
    expect(viaYaml).toEqual({ ok: true, config: direct });
  });
});
