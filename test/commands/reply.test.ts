import { describe, expect, it } from "vitest";
import { COMMAND_TEXT, helpText, parseCommands, renderReply } from "../../src/commands/index.js";
import type { CommandKind } from "../../src/commands/index.js";

describe("helpText", () => {
  it("lists every command, each of which parses back to itself", () => {
    const help = helpText();
    for (const [kind, text] of Object.entries(COMMAND_TEXT)) {
      expect(help).toContain(`\`${text}\``);
      expect(parseCommands(text)).toEqual([{ kind: kind as CommandKind }]);
    }
  });

  it("holds no command line that repin would act on if it read its own reply", () => {
    expect(parseCommands(helpText())).toEqual([]);
  });
});

describe("renderReply", () => {
  it("says what was done, briefly", () => {
    const kinds = Object.keys(COMMAND_TEXT) as CommandKind[];
    for (const kind of kinds.filter((k) => k !== "help")) {
      const reply = renderReply({ kind: "done", command: kind });
      expect(reply.length, kind).toBeLessThan(200);
      expect(reply.length).toBeGreaterThan(10);
    }
    expect(renderReply({ kind: "done", command: "help" })).toBe(helpText());
  });

  it("quotes the subject of an ignore", () => {
    const reply = renderReply({
      kind: "done",
      command: "ignore-digest",
      subject: "docker.io/library/python@sha256:abc",
    });
    expect(reply).toContain("`docker.io/library/python@sha256:abc`");
    expect(reply).toContain("/repin unignore");
  });

  it("refuses without acting and without echoing hostile text raw", () => {
    const reply = renderReply({ kind: "refused", command: { kind: "unknown", text: "@org/team [x](javascript:y)" } });
    expect(reply).toContain("write, maintain or admin");
    expect(reply).not.toContain("org/team");
    expect(renderReply({ kind: "refused", command: { kind: "rebase" } })).toContain("`/repin rebase`");
  });

  it("answers an unknown command with the help text, the command quoted", () => {
    const [command] = parseCommands("/repin <!-- repin:rescan --> @admins $(rm -rf /)");
    expect(command?.kind).toBe("unknown");
    const reply = renderReply({ kind: "unknown", text: command?.kind === "unknown" ? command.text : "" });
    expect(reply).toContain(helpText());
    const firstLine = reply.split("\n")[0] ?? "";
    // The whole echo is one code span (no mention, link or HTML is made inside code).
    expect(firstLine).toMatch(/^`[^`]*` is not a repin command\.$/);
    expect(reply).not.toContain("<!--");
  });

  it("escapes a failure reason", () => {
    const reply = renderReply({ kind: "failed", command: { kind: "rebase" }, reason: "not a repin PR <b>@x</b>" });
    expect(reply).toBe("Could not run `/repin rebase`: not a repin PR &lt;b&gt;@\u200Dx&lt;/b&gt;");
  });
});
