import { describe, expect, it } from "vitest";
import { extractReferences, type FoundReference, type TextRange } from "../../src/dockerfile/index.js";

const D = "sha256:" + "0123456789abcdef".repeat(4);
const E = "sha256:" + "f".repeat(64);

function refs(content: string): FoundReference[] {
  const r = extractReferences(content);
  expect(r.error).toBeNull();
  return r.references;
}
const at = (content: string, range: TextRange | null) => (range ? content.slice(range.start, range.end) : null);
const images = (content: string) => refs(content).map((r) => r.expanded);

describe("FROM", () => {
  it("finds a pinned reference with exact digest and tag ranges", () => {
    const c = `FROM python:3.12-slim@${D}\n`;
    const [r] = refs(c);
    expect(r).toMatchObject({
      line: 1,
      instruction: "FROM",
      expanded: `python:3.12-slim@${D}`,
      platform: null,
      skip: null,
      pinInsertAt: null,
    });
    expect(r!.ref).toMatchObject({ registry: "docker.io", repository: "library/python", tag: "3.12-slim", digest: D });
    expect(at(c, r!.digestRange)).toBe(D);
    expect(at(c, r!.tagRange)).toBe("3.12-slim");
  });

  it("handles a multi-stage build: stage names (any case) and scratch are not images", () => {
    const c = [
      `FROM cgr.dev/chainguard/go:latest-dev@${D} AS Build`,
      "RUN go build",
      "FROM build AS test",
      "FROM BUILD",
      "FROM scratch",
      "COPY --from=build /app /app",
      "FROM cgr.dev/chainguard/static:latest",
    ].join("\n");
    const found = refs(c);
    expect(found.map((r) => [r.line, r.expanded])).toEqual([
      [1, `cgr.dev/chainguard/go:latest-dev@${D}`],
      [7, "cgr.dev/chainguard/static:latest"],
    ]);
    expect(found[1]!.pinInsertAt).toBe(c.length);
  });

  it("treats a stage name used before it is declared as an image", () => {
    expect(images("FROM later\nFROM alpine AS later\n")).toEqual(["later", "alpine"]);
  });

  it("reads lowercase keywords, --platform (fixed or variable) and AS", () => {
    const c = "from --platform=linux/arm64 alpine:3.20 as base\nFROM --platform=$BUILDPLATFORM golang:1.22 AS build\n";
    const found = refs(c);
    expect(found.map((r) => [r.expanded, r.platform])).toEqual([
      ["alpine:3.20", "linux/arm64"],
      ["golang:1.22", null],
    ]);
    expect(found[1]!.line).toBe(2);
  });

  it("keeps registries with ports and localhost", () => {
    const found = refs("FROM localhost:5000/x\nFROM registry.example.com:8443/team/app:1.0\n");
    expect(found.map((r) => [r.ref?.registry, r.ref?.repository, r.ref?.tag])).toEqual([
      ["localhost:5000", "x", null],
      ["registry.example.com:8443", "team/app", "1.0"],
    ]);
    expect(found[0]!.pinInsertAt).toBeNull();
  });

  it("follows line continuations with comments and blank lines inside", () => {
    const c = `FROM \\\n  # a comment\n\n  --platform=linux/amd64 \\\n  node:20@${D} \\\n  AS web\n`;
    const [r] = refs(c);
    expect(r).toMatchObject({ line: 5, expanded: `node:20@${D}`, platform: "linux/amd64" });
    expect(at(c, r!.digestRange)).toBe(D);
  });

  it("honours the escape directive (backtick) and keeps backslashes literal", () => {
    const c = "# escape=`\nFROM `\n    mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir C:\\ `\n  && echo hi\n";
    const [r] = refs(c);
    expect(r).toMatchObject({ line: 3, expanded: "mcr.microsoft.com/windows/servercore:ltsc2022" });
    expect(at(c, r!.tagRange)).toBe("ltsc2022");
  });

  it("ignores an escape directive that comes after a comment", () => {
    // with "\\" still the escape, the continuation joins "AS base" and "FROM base" is a stage
    const c = "# a comment\n# escape=`\nFROM alpine:3 \\\n  AS base\nFROM base\n";
    expect(images(c)).toEqual(["alpine:3"]);
    expect(images(c.replace("# a comment\n", ""))).toEqual(["alpine:3", "base"]);
  });

  it("reads CRLF files and a BOM with offsets into the original text", () => {
    const c = `\uFEFFFROM alpine:3.20 AS a\r\nFROM \\\r\n  python:3.12@${D}\r\n`;
    const found = refs(c);
    expect(found.map((r) => [r.line, r.expanded])).toEqual([
      [1, "alpine:3.20"],
      [3, `python:3.12@${D}`],
    ]);
    expect(at(c, found[0]!.tagRange)).toBe("3.20");
    expect(found[0]!.pinInsertAt).toBe(c.indexOf(" AS"));
    expect(at(c, found[1]!.digestRange)).toBe(D);
  });

  it("never reads heredoc bodies or comments as references", () => {
    const c = [
      "FROM alpine:3",
      "# FROM commented:1",
      "RUN <<EOF",
      "FROM evil:1",
      "EOF",
      "COPY <<-'END' /etc/x",
      "\tFROM evil:2",
      "\tEND",
      "RUN cat <<A <<B",
      "FROM evil:3",
      "A",
      "FROM evil:4",
      "B",
      "FROM debian:12",
    ].join("\n");
    expect(images(c)).toEqual(["alpine:3", "debian:12"]);
    expect(refs(c)[1]!.line).toBe(14);
  });

  it("accepts quoted references", () => {
    const c = 'FROM "alpine:3.20"\n';
    const [r] = refs(c);
    expect(r!.expanded).toBe("alpine:3.20");
    expect(r!.pinInsertAt).toBe(c.indexOf('"\n'));
  });
});

describe("ARG expansion", () => {
  it("expands $X, ${X} and ${X:-default}", () => {
    const c =
      "ARG IMG=alpine\nARG TAG=3.20\nFROM $IMG:${TAG}\nFROM ${MISSING:-debian}:${TAG:-x}\nFROM ${TAG:+busybox}:1\n";
    expect(images(c)).toEqual(["alpine:3.20", "debian:3.20", "busybox:1"]);
  });

  it("points digestRange and pinInsertAt into an ARG default holding the whole reference", () => {
    const c = `ARG BASE=python:3.12@${D}\nARG UNPINNED=node:20\nFROM \${BASE}\nFROM $UNPINNED AS n\n`;
    const [pinned, unpinned] = refs(c);
    expect(pinned).toMatchObject({ line: 3, expanded: `python:3.12@${D}` });
    expect(pinned!.digestRange!.start).toBe(c.indexOf(D));
    expect(at(c, pinned!.tagRange)).toBe("3.12");
    expect(unpinned!.pinInsertAt).toBe(c.indexOf("\nFROM ${BASE}"));
    expect(unpinned!.line).toBe(4);
  });

  it("points digestRange into an ARG holding only the digest", () => {
    const c = `ARG DIGEST=${D}\nFROM python:3.12@\${DIGEST}\n`;
    const [r] = refs(c);
    expect(r!.digestRange).toEqual({ start: c.indexOf(D), end: c.indexOf(D) + D.length });
    expect(at(c, r!.tagRange)).toBe("3.12");
  });

  it("sets tagRange only when the tag is one contiguous run", () => {
    const c = "ARG VERSION=3.12\nFROM python:${VERSION}-slim\nFROM python:${VERSION}\n";
    const [partial, whole] = refs(c);
    expect(partial!.expanded).toBe("python:3.12-slim");
    expect(partial!.tagRange).toBeNull();
    expect(partial!.pinInsertAt).toBeNull();
    expect(at(c, whole!.tagRange)).toBe("3.12");
    // the tag lives in an ARG that other instructions may use: not a safe place to pin
    expect(whole!.pinInsertAt).toBeNull();
  });

  describe("tagTemplate: literal text around one ARG default", () => {
    const template = (c: string, n = 0) => {
      const r = refs(c)[n]!;
      return (
        r.tagTemplate && {
          arg: at(c, r.tagTemplate.range),
          before: r.tagTemplate.before,
          after: r.tagTemplate.after,
          tagRange: r.tagRange,
        }
      );
    };

    it.each([
      ["ARG PYTHON_VERSION=3.12.7\nFROM python:${PYTHON_VERSION}-slim\n", "3.12.7", "", "-slim"],
      ["ARG NODE_VERSION=22.11.0\nFROM node:${NODE_VERSION}-alpine3.20 AS web\n", "22.11.0", "", "-alpine3.20"],
      ["ARG PY=3.12.7\nFROM cgr.dev/chainguard/python:${PY}-dev\n", "3.12.7", "", "-dev"],
      ["ARG JAVA=21.0.5_11\nFROM eclipse-temurin:${JAVA}-jre\n", "21.0.5_11", "", "-jre"],
      ["ARG V=1.2.3\nFROM ghcr.io/org/tool:v$V\n", "1.2.3", "v", ""],
    ])("%j → the ARG default %s between %j and %j", (c, arg, before, after) => {
      expect(template(c)).toEqual({ arg, before, after, tagRange: null });
    });

    it("leaves tagTemplate null when tagRange already covers the whole tag", () => {
      const c = "ARG GO_VERSION=1.23.4\nFROM golang:${GO_VERSION}\nFROM golang:1.23.4-alpine\n";
      const [fromArg, literal] = refs(c);
      expect(at(c, fromArg!.tagRange)).toBe("1.23.4");
      expect(fromArg!.tagTemplate).toBeNull();
      expect(literal!.tagTemplate).toBeNull();
    });

    it("points inside the quotes of a quoted ARG default", () => {
      const c = 'ARG V="3.12.7"\nFROM python:${V}-slim\n';
      const r = refs(c)[0]!;
      expect(r.tagTemplate?.range).toEqual({ start: c.indexOf("3.12.7"), end: c.indexOf("3.12.7") + 6 });
    });

    it("keeps the digest range of a pinned templated tag", () => {
      const c = `ARG V=3.12.7\nFROM python:\${V}-slim@${D}\n`;
      const r = refs(c)[0]!;
      expect(at(c, r.digestRange)).toBe(D);
      expect(template(c)).toMatchObject({ arg: "3.12.7", after: "-slim" });
    });

    it.each([
      ["two variables", "ARG V=3.12.7\nARG S=slim\nFROM python:${V}-${S}\n"],
      ["one variable twice", "ARG V=3\nFROM python:${V}.${V}\n"],
      ["an ARG built from two ARGs", "ARG MAJOR=3.12\nARG V=${MAJOR}.7\nFROM python:${V}-slim\n"],
      ["an escape inside the ARG default", "ARG V=3.12\\.7\nFROM python:${V}-slim\n"],
    ])("is null for %s", (_, c) => {
      expect(refs(c)[0]!.tagTemplate).toBeNull();
    });

    it("skips an ARG without default as before", () => {
      const r = refs("ARG V\nFROM python:${V}-slim\n")[0]!;
      expect(r.skip?.reason).toBe("unresolved-variable");
      expect(r.tagTemplate).toBeNull();
    });
  });

  it("reads quoted ARG defaults, several ARGs per line, and ARGs built from ARGs", () => {
    const c = `ARG REG="ghcr.io" NAME='org/app'\nARG FULL=\${REG}/\${NAME}:1.0@${D}\nFROM $FULL\n`;
    const [r] = refs(c);
    expect(r!.expanded).toBe(`ghcr.io/org/app:1.0@${D}`);
    expect(at(c, r!.digestRange)).toBe(D);
  });

  it("skips an ARG without default, naming the variable", () => {
    const [r] = refs("ARG BASE\nFROM ${BASE}:1\n");
    expect(r!.skip?.reason).toBe("unresolved-variable");
    expect(r!.skip?.detail).toContain("BASE");
    expect(r!.ref).toBeNull();
  });

  it("does not treat ARGs declared inside a stage as global", () => {
    const [, r] = refs("FROM alpine:3\nARG LATE=debian:12\nFROM $LATE\n");
    expect(r!.skip?.reason).toBe("unresolved-variable");
  });

  it("uses an ARG re-declared in a stage with the global default", () => {
    expect(images("ARG V=1.22\nFROM golang:${V}\nARG V\nRUN echo $V\n")).toEqual(["golang:1.22"]);
  });
});

describe("COPY --from and RUN --mount", () => {
  it("tells images from stage names and stage indexes", () => {
    const c = [
      "FROM golang:1.22 AS build",
      "FROM alpine:3.20",
      "COPY --from=build /a /a",
      "COPY --from=0 /b /b",
      "COPY --from=BUILD /c /c",
      "COPY --from=nginx:1.25 /etc/nginx /etc/nginx",
      "COPY --from=later /d /d",
      "COPY --chown=1:1 --from=gcr.io/distroless/static:nonroot /e /e",
      "FROM alpine:3.20 AS later",
    ].join("\n");
    const copies = refs(c).filter((r) => r.instruction === "COPY --from");
    expect(copies.map((r) => [r.line, r.expanded])).toEqual([
      [6, "nginx:1.25"],
      [8, "gcr.io/distroless/static:nonroot"],
    ]);
    expect(at(c, copies[0]!.tagRange)).toBe("1.25");
  });

  it("finds RUN --mount from=<image> and skips from=<stage>", () => {
    const c = [
      "FROM alpine:3.20 AS tools",
      `RUN --mount=type=cache,from=golang:1.22@${D},target=/go/pkg --mount=type=bind,from=tools,target=/t make`,
      "RUN --mount=type=bind,source=/x,target=/y true",
    ].join("\n");
    const mounts = refs(c).filter((r) => r.instruction === "RUN --mount");
    expect(mounts.map((r) => r.expanded)).toEqual([`golang:1.22@${D}`]);
    expect(at(c, mounts[0]!.digestRange)).toBe(D);
  });
  // BuildKit never expands variables there: COPY --from=$X is an error since Dockerfile 1.18 (toCommand in
  // dockerfile2llb/convert.go), RUN --mount from=$X since 1.3 (parseMount in instructions/commands_runmount.go),
  // whether the ARG is global, re-declared in the stage, or both.
  it.each([
    ["a global ARG", "ARG IMG=nginx:1.25\nFROM alpine:3.20\n", "COPY --from=$IMG / /"],
    [
      "a global ARG re-declared in the stage",
      "ARG IMG=nginx:1.25\nFROM alpine:3.20\nARG IMG\n",
      "COPY --from=${IMG} / /",
    ],
    ["a stage ARG", "FROM alpine:3.20\nARG IMG=nginx:1.25\n", "COPY --from=${IMG:-nginx:1.25} / /"],
    [
      "a mount from a global ARG",
      "ARG IMG=nginx:1.25\nFROM alpine:3.20\n",
      "RUN --mount=type=bind,from=$IMG,target=/x true",
    ],
    [
      "a mount from a re-declared ARG",
      "ARG IMG=nginx:1.25\nFROM alpine:3.20\nARG IMG\n",
      "RUN --mount=from=${IMG} true",
    ],
  ])("does not expand %s in COPY --from or RUN --mount from=: a skip", (_name, head, line) => {
    const c = head + line + "\n";
    const [r, ...rest] = refs(c).filter((f) => f.instruction !== "FROM");
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ line: c.split("\n").length - 1, ref: null, digestRange: null, pinInsertAt: null });
    expect(r!.skip?.reason).toBe("variable-not-expanded");
    expect(r!.skip?.detail).toContain("BuildKit does not expand variables");
  });

  it("still reads quotes in COPY --from, and a $ at the end is not a variable", () => {
    const c = 'FROM alpine:3.20\nCOPY --from="nginx:1.25" / /\nRUN --mount=from=nginx:1.25$,target=/x true\n';
    const [copy, mount] = refs(c).filter((f) => f.instruction !== "FROM");
    expect(copy).toMatchObject({ expanded: "nginx:1.25", skip: null });
    expect(mount!.skip?.reason).toBe("invalid-reference");
  });
});

describe("skips", () => {
  it.each([
    [`FROM python@${D}`, "digest-without-tag"],
    ["FROM Python:3", "invalid-reference"],
    ["FROM python:3@sha512:" + "a".repeat(128), "unsupported-digest"],
    ["FROM python:3@sha256:abc", "invalid-reference"],
    ["FROM ${X:?required}", "unresolved-variable"],
  ])("%s → %s", (c, reason) => {
    expect(refs(c)[0]!.skip?.reason).toBe(reason);
  });

  it("keeps the digest range for a digest without tag", () => {
    const c = `FROM python@${D}`;
    expect(at(c, refs(c)[0]!.digestRange)).toBe(D);
  });

  it("reports binary content as an error instead of throwing", () => {
    expect(extractReferences("FROM a\u0000b")).toEqual({ references: [], error: expect.stringContaining("NUL") });
  });

  it("never throws on odd input", () => {
    for (const c of [
      "",
      "\\",
      "FROM",
      "FROM --platform=x",
      "FROM ${",
      "FROM $",
      "RUN <<",
      "ARG =x\nFROM $",
      "FROM a\\",
      "\r\r\n",
    ]) {
      expect(extractReferences(c).error).toBeNull();
    }
  });
});

describe("two FROMs sharing one ARG", () => {
  it("report the same digest range", () => {
    const c = `ARG BASE=alpine:3.20@${E}\nFROM $BASE AS a\nFROM \${BASE}\n`;
    const [a, b] = refs(c);
    expect(a!.digestRange).toEqual(b!.digestRange);
    expect(a!.line).toBe(2);
    expect(b!.line).toBe(3);
  });
});
