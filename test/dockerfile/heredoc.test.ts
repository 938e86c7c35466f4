import { describe, expect, it } from "vitest";
import { extractReferences } from "../../src/dockerfile/index.js";
import { heredocsOf } from "../../src/dockerfile/heredoc.js";

function images(content: string): string[] {
  const r = extractReferences(content);
  expect(r.error).toBeNull();
  return r.references.map((x) => x.expanded);
}

describe("not heredocs: the rest of the file is still read", () => {
  it.each([
    ["here-string", 'RUN cat <<< "hello"'],
    ["here-string, no space", 'RUN cat <<<"hello"'],
    ["here-string, bare word", "RUN cat <<<hello"],
    ["arithmetic shift", "RUN echo $((1<<2))"],
    ["double-quoted <<", 'RUN echo "<<EOF"'],
    ["single-quoted <<", "RUN echo '<<EOF'"],
    ["<< inside a word", "RUN echo a<<b"],
    ["escaped <", "RUN echo \\<<EOF"],
    ["exec form", 'RUN ["sh", "-c", "cat <<EOF"]'],
    ["instruction without heredocs", "ENV X=<<EOF"],
    ["empty terminator", "RUN cat <<''"],
    ["unterminated quote on the line", "RUN cat <<EOF 'oops"],
  ])("%s: %s", (_name, run) => {
    // No terminator follows: a line taken for a heredoc would swallow the FROM.
    const c = `FROM alpine:3.19 AS a\n${run}\nFROM python:3.12\n`;
    expect(images(c)).toEqual(["alpine:3.19", "python:3.12"]);
  });

  it("the reviewer's input finds both images", () => {
    expect(images('FROM alpine:3.19 AS a\nRUN cat <<< "hello"\nFROM python:3.12\n')).toEqual([
      "alpine:3.19",
      "python:3.12",
    ]);
  });
});

describe("heredocs: bodies are skipped, the FROM after them is found", () => {
  it.each([
    ["RUN <<EOF", "EOF"],
    ["RUN <<-EOF", "\t\tEOF"],
    ['RUN <<"EOF"', "EOF"],
    ["RUN <<'EOF'", "EOF"],
    ["RUN << EOF", "EOF"],
    ["RUN 3<<EOF", "EOF"],
    ["RUN python3 <<EOF > /out", "EOF"],
    ["RUN --mount=type=cache,target=/c <<EOF", "EOF"],
    ["RUN <<E\\OF", "EOF"],
    ['RUN <<"END OF"', "END OF"],
    ["RUN <<$EOF", "$EOF"],
    ["RUN <<EOF\r", "EOF\r"],
    ["COPY <<EOF /x", "EOF"],
    ["ADD <<EOF /x", "EOF"],
    ["ONBUILD RUN <<EOF", "EOF"],
    ["run <<EOF", "EOF"],
  ])("%s … %j", (open, close) => {
    const c = `FROM alpine:3.19\n${open}\nFROM x:1\nEOF-not\n${close}\nFROM python:3.12\n`;
    expect(images(c)).toEqual(["alpine:3.19", "python:3.12"]);
  });

  it("two heredocs on one line are read one after the other", () => {
    const c = ["FROM alpine:3.19", "RUN <<A <<B", "FROM x:1", "B", "A", "FROM x:2", "A", "B", "FROM python:3.12"].join(
      "\n",
    );
    expect(images(c)).toEqual(["alpine:3.19", "python:3.12"]);
  });

  it("a heredoc opened on a continued line starts after the last continuation", () => {
    const c = ["FROM alpine:3.19", "RUN set -e; \\", "  cat <<EOF", "FROM x:1", "EOF", "FROM python:3.12"].join("\n");
    expect(images(c)).toEqual(["alpine:3.19", "python:3.12"]);
  });

  it("a heredoc and a here-string on the same line: only the heredoc has a body", () => {
    const c = ["FROM alpine:3.19", 'RUN cat <<< "x" && cat <<EOF', "FROM x:1", "EOF", "FROM python:3.12"].join("\n");
    expect(images(c)).toEqual(["alpine:3.19", "python:3.12"]);
  });

  it("a chomped terminator must be indented by tabs only; an unchomped one not at all", () => {
    const c = [
      "FROM alpine:3.19",
      "RUN <<EOF",
      "\tEOF",
      "FROM x:1",
      "EOF",
      "COPY <<-EOF /x",
      "  EOF",
      "FROM x:2",
      "\tEOF",
      "FROM python:3.12",
    ].join("\n");
    expect(images(c)).toEqual(["alpine:3.19", "python:3.12"]);
  });

  it("an unterminated heredoc swallows the rest of the file, as BuildKit refuses the file", () => {
    expect(images("FROM alpine:3.19\nRUN <<EOF\nFROM x:1\n")).toEqual(["alpine:3.19"]);
  });
});

describe("heredocsOf", () => {
  it("names terminators the way BuildKit does", () => {
    expect(heredocsOf("RUN", "<<EOF")).toEqual([{ name: "EOF", chomp: false }]);
    expect(heredocsOf("RUN", "<<-'E O F'")).toEqual([{ name: "E O F", chomp: true }]);
    expect(heredocsOf("RUN", "cat <<E'O'F")).toEqual([{ name: "EOF", chomp: false }]);
    expect(heredocsOf("RUN", "<<eo\\'f")).toEqual([{ name: "eo'f", chomp: false }]);
    expect(heredocsOf("RUN", "<<${X:-a}")).toEqual([{ name: "${X:-a}", chomp: false }]);
    // `<<` keeps the blanks after it in its word, so BuildKit reads a spaced shift as a heredoc too.
    expect(heredocsOf("RUN", "echo $(( 1 << 2 ))")).toEqual([{ name: "2", chomp: false }]);
    expect(heredocsOf("COPY", "<<A <<-B /dest")).toEqual([
      { name: "A", chomp: false },
      { name: "B", chomp: true },
    ]);
  });

  it("finds none in shell text that only looks like one", () => {
    for (const args of [
      'cat <<< "hello"',
      "echo $((1<<2))",
      'echo "<<EOF"',
      "echo a<<b",
      "<<- EOF",
      "<<${",
      "cat <<EOF ${:}",
    ]) {
      expect(heredocsOf("RUN", args)).toEqual([]);
    }
    expect(heredocsOf("FROM", "<<EOF")).toEqual([]);
    expect(heredocsOf("ONBUILD", "ENV <<EOF")).toEqual([]);
  });
});
