import { describe, expect, it } from "vitest";
import { MAX_COMMANDS, MAX_UNKNOWN_TEXT, parseCommands } from "../../src/commands/index.js";

describe("parseCommands", () => {
  it("finds every command, case-insensitive, with leading whitespace and extra spaces", () => {
    const body = [
      "/repin rebase",
      "  /REPIN Recreate",
      "/repin   ignore  this\tdigest",
      "/repin ignore this image",
      "/repin unignore",
      "/Repin scan",
      "/repin explain",
      "/repin help",
    ].join("\r\n");
    expect(parseCommands(body).map((c) => c.kind)).toEqual([
      "rebase",
      "recreate",
      "ignore-digest",
      "ignore-image",
      "unignore",
      "scan",
      "explain",
      "help",
    ]);
  });

  it("takes a bare /repin as help and anything else as unknown", () => {
    expect(parseCommands("/repin")).toEqual([{ kind: "help" }]);
    expect(parseCommands("/repin rebase please")).toEqual([{ kind: "unknown", text: "rebase please" }]);
    expect(parseCommands("/repin  frobnicate\tnow ")).toEqual([{ kind: "unknown", text: "frobnicate now" }]);
  });

  it("ignores commands that are not at the start of a line, or are another word", () => {
    expect(parseCommands("please /repin rebase")).toEqual([]);
    expect(parseCommands("/repinrebase\n/repin-rebase\n`/repin rebase`")).toEqual([]);
    expect(parseCommands(null)).toEqual([]);
    expect(parseCommands("")).toEqual([]);
  });

  it("skips fenced code blocks (``` and ~~~, longer closing fences) and quoted lines", () => {
    const body = [
      "```sh",
      "/repin rebase",
      "```",
      "~~~~",
      "/repin recreate",
      "~~~",
      "/repin scan",
      "~~~~~",
      "> /repin unignore",
      "   >/repin help",
      "/repin ignore this image",
    ].join("\n");
    expect(parseCommands(body)).toEqual([{ kind: "ignore-image" }]);
  });

  it("treats an unclosed fence as code to the end", () => {
    expect(parseCommands("/repin scan\n```\n/repin rebase")).toEqual([{ kind: "scan" }]);
  });

  it("does not take inline code with backticks for a fence", () => {
    expect(parseCommands("```x``` inline\n/repin scan")).toEqual([{ kind: "scan" }]);
  });

  it("reports each command once and at most MAX_COMMANDS", () => {
    expect(parseCommands("/repin scan\n/repin scan\n/repin SCAN")).toEqual([{ kind: "scan" }]);
    const many = Array.from({ length: 50 }, (_, i) => `/repin thing${i}`).join("\n");
    const found = parseCommands(many);
    expect(found).toHaveLength(MAX_COMMANDS);
    expect(found[0]).toEqual({ kind: "unknown", text: "thing0" });
  });

  it("keeps unknown text short, on one line, without control or bidi characters", () => {
    const [command] = parseCommands(`/repin ${"x".repeat(10_000)}`);
    expect(command?.kind).toBe("unknown");
    const text = command?.kind === "unknown" ? command.text : "";
    expect([...text].length).toBeLessThanOrEqual(MAX_UNKNOWN_TEXT);
    expect(text.endsWith("…")).toBe(true);
    expect(parseCommands("/repin a\u202Eb\u0000c\u200Bd")).toEqual([{ kind: "unknown", text: "abcd" }]);
  });

  it("keeps shell metacharacters as inert data", () => {
    expect(parseCommands("/repin rebase; rm -rf / $(curl x) `id`")).toEqual([
      { kind: "unknown", text: "rebase; rm -rf / $(curl x) `id`" },
    ]);
  });

  it("parses 1 MB bodies in linear time", () => {
    const shapes = [
      "a".repeat(1 << 20),
      `/repin ${" ".repeat(1 << 20)}x`,
      `${"/repin x\n".repeat(100_000)}`,
      `${"```\n".repeat(200_000)}`,
      `${">".repeat(1 << 20)}\n/repin scan`,
      `/repin${"\t ".repeat(1 << 19)}`,
    ];
    for (const body of shapes) {
      const started = performance.now();
      parseCommands(body);
      expect(performance.now() - started).toBeLessThan(1000);
    }
    expect(parseCommands(`${"z".repeat(1 << 20)}\n/repin rebase`)).toEqual([{ kind: "rebase" }]);
    expect(parseCommands(`/repin${"\t ".repeat(1 << 19)}`)).toEqual([{ kind: "help" }]);
  });
});
