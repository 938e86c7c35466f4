/**
 * `.github/repin.yml` has a size bound and parses in linear time (issue 10 item 12, SPEC 10). Before: no bound,
 * and 184 KiB of keys blocked the event loop for 5 s, 380 KiB for 34 s (yaml's unique-key check compares every
 * key with every earlier one, and each problem looked its key up by a scan of its map).
 */
import { describe, expect, it } from "vitest";
import { MAX_CONFIG_BYTES, parseRepinConfig } from "../../src/config/index.js";

/** Lines from `line(i)` until the text reaches `bytes` (ASCII, so characters are bytes). */
function fill(bytes: number, line: (i: number) => string, head = ""): string {
  const lines = [head];
  let size = head.length;
  for (let i = 0; ; i++) {
    const next = line(i);
    if (size + next.length > bytes) break;
    lines.push(next);
    size += next.length;
  }
  return lines.join("");
}

function errorOf(text: string) {
  const result = parseRepinConfig(text);
  if (result.ok) throw new Error("expected a config error");
  return result.error;
}

describe("config size bound", () => {
  it.each([184, 380])("a %i KiB config is a config error at line 1, not parsed", (kib) => {
    const text = fill(kib * 1024, (i) => `# ${"x".repeat(60)} ${i}\n`, "pin: true\n");
    expect(errorOf(text)).toEqual({
      file: ".github/repin.yml",
      line: 1,
      reason: expect.stringMatching(
        new RegExp(`^the file is ${kib}(\\.\\d)? KiB; a repin config may be at most 64 KiB$`),
      ),
    });
  });

  it("reads a config of exactly the bound", () => {
    const text = fill(MAX_CONFIG_BYTES - 1, (i) => `  - "registry.example.com/team/image-${i}"\n`, "ignore:\n");
    const padded = text + "#".repeat(MAX_CONFIG_BYTES - 1 - text.length) + "\n";
    expect(Buffer.byteLength(padded)).toBe(MAX_CONFIG_BYTES);
    const result = parseRepinConfig(padded);
    expect(result.ok && result.config.ignore.length).toBeGreaterThan(1000);
  });

  it("counts bytes, not characters", () => {
    const text = "pin: true\n# " + "ü".repeat(MAX_CONFIG_BYTES / 2) + "\n";
    expect(text.length).toBeLessThan(MAX_CONFIG_BYTES);
    expect(errorOf(text).reason).toMatch(/may be at most 64 KiB$/);
  });
});

describe("config problems at the size bound, located in one pass", () => {
  const NEAR = MAX_CONFIG_BYTES - 100;

  it("thousands of unknown keys: the first is reported and the rest counted", () => {
    const text = fill(NEAR, (i) => `key${i}: 1\n`);
    const count = text.split("\n").length - 1;
    expect(errorOf(text)).toMatchObject({ line: 1, reason: `key0: unknown key (and ${count - 1} more problems)` });
  });

  it("the one unknown key after thousands of valid map entries is found at its line", () => {
    const text = fill(NEAR, (i) => `  m${i}.example.com: docker.io\n`, "registryMap:\n") + "bogus: 1\n";
    expect(errorOf(text)).toEqual({
      file: ".github/repin.yml",
      line: text.split("\n").length - 1,
      reason: "bogus: unknown key",
    });
  });

  it("a duplicate key after thousands of keys is found at its line", () => {
    const text = fill(NEAR, (i) => `  m${i}.example.com: docker.io\n`, "registryMap:\n") + "  m7.example.com: x\n";
    expect(errorOf(text)).toMatchObject({ line: text.split("\n").length - 1, reason: "Map keys must be unique" });
  });

  it("thousands of YAML errors: the first is reported", () => {
    const text = fill(NEAR, (i) => `a${i}: [\n`);
    expect(errorOf(text).line).toBe(2);
  });

  it("thousands of invalid list items: the first is reported and the rest counted", () => {
    const text = fill(NEAR, (i) => `  - ${i}\n`, "labels:\n");
    expect(errorOf(text)).toMatchObject({ line: 2, reason: expect.stringMatching(/^labels\.0: .*more problems\)$/) });
  });
});

describe("duplicate keys", () => {
  it.each([
    ["nested", "pin: true\nrebuild:\n  dispatch: true\n  dispatch: false\n", 4],
    ["in a flow map", "pin: true\nrebuild: {dispatch: true, dispatch: false}\n", 2],
    ["in a map inside a list", "labels:\n  - {a: 1, a: 2}\n", 2],
    ["the first of two, by position", "labels: [x]\nlabels: [y]\npin: true\npin: false\n", 2],
    ["before a later YAML error", "pin: true\npin: false\nlabels: [a\n", 2],
  ])("%s: reported at the repeated key", (_what, text, line) => {
    expect(errorOf(text)).toMatchObject({ line, reason: "Map keys must be unique" });
  });

  it("a YAML error before a duplicate key wins", () => {
    expect(errorOf("labels:\n\tx: 1\npin: true\npin: false\n")).toMatchObject({
      line: 2,
      reason: expect.stringMatching(/^Tabs are not allowed/),
    });
  });

  it("keys that differ in type are not duplicates (1 and '1')", () => {
    const result = parseRepinConfig("registryMap:\n  1: docker.io\n  '1': docker.io\n");
    expect(result.ok ? null : result.error.reason).not.toBe("Map keys must be unique");
  });
});
