import { describe, expect, it } from "vitest";
import type { Update } from "../../src/plan/index.js";
import { commitMessage, desiredPrs, markerFor, renderBody, type PrExplanation } from "../../src/proposals/index.js";

// The PR table and the commit message (SPEC 5): every edited line, an `ARG` default included, and
// a commit body that says what moved and why.
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const CONTENT = `# syntax=docker/dockerfile:1\nARG BASE=r.io/app:1.2@${digest("a")}\n\nFROM \${BASE} AS build\nFROM r.io/app:1.2@${digest("a")}\n`;

function bump(line: number, at: number, extra: Partial<Update> = {}): Update {
  return {
    file: "Dockerfile",
    kind: "dockerfile",
    line,
    image: "r.io/app:1.2",
    tag: "1.2",
    newTag: null,
    currentDigest: digest("a"),
    newDigest: digest("b"),
    action: "bump",
    reason: null,
    source: { registry: "r.io", repository: "app" },
    created: "2026-11-01T10:00:00Z",
    platforms: [{ os: "linux", architecture: "amd64" }],
    edits: [{ range: { start: at, end: at + 71 }, text: digest("b") }],
    ...extra,
  };
}

const viaArg = bump(4, CONTENT.indexOf(digest("a")));
const direct = bump(5, CONTENT.lastIndexOf(digest("a")));
const [pr] = desiredPrs([viaArg, direct], [{ path: "Dockerfile", content: CONTENT }], "image");

describe("the PR table", () => {
  it("shows the ARG line a FROM takes its digest from, and the FROM line that carries its own", () => {
    const body = renderBody(pr!, markerFor(pr!, "c0ffee"));
    expect(body).toContain(
      `| \`Dockerfile\` | 2 (\`ARG\` default, used on line 4) | \`r.io/app\` | \`1.2\` | \`${digest("a")}\` → \`${digest("b")}\` |`,
    );
    expect(body).toContain(`| \`Dockerfile\` | 5 | \`r.io/app\` | \`1.2\` |`);
    expect(body).not.toContain("| `Dockerfile` | 4 |");
  });

  it("lists both lines when the tag lives in an ARG and the digest in the FROM", () => {
    const content = `ARG V=1.2\nFROM r.io/app:\${V}@${digest("a")}\n`;
    const update = bump(2, 0, {
      newTag: "1.3",
      edits: [
        { range: { start: 6, end: 9 }, text: "1.3" },
        { range: { start: content.indexOf("sha256"), end: content.indexOf("sha256") + 71 }, text: digest("b") },
      ],
    });
    const [tagPr] = desiredPrs([update], [{ path: "Dockerfile", content }], "image");
    expect(renderBody(tagPr!, markerFor(tagPr!, "c0ffee"))).toContain(
      "| `Dockerfile` | 1 (`ARG` default, used on line 2), 2 | `r.io/app` | `1.2` → `1.3` |",
    );
  });
});

describe("a file that is not a Dockerfile", () => {
  it("names its kind beside it in the table and the commit message", () => {
    const content = `services:\n  cache:\n    image: r.io/app:1.2@${digest("a")}\n`;
    const at = content.indexOf(digest("a"));
    const update = bump(3, at, { file: "compose.yaml", kind: "compose" });
    const [composePr] = desiredPrs([update], [{ path: "compose.yaml", content }], "image");
    expect(renderBody(composePr!, markerFor(composePr!, "c0ffee"))).toContain(
      "| `compose.yaml` (compose) | 3 | `r.io/app` | `1.2` |",
    );
    expect(commitMessage(composePr!)).toContain("- compose.yaml (compose) line 3: r.io/app 1.2");
  });
});

describe("the commit message", () => {
  it("has a body: what moved, where, what the registry said, and the advisories fixed", () => {
    const explanation: PrExplanation = {
      platform: "linux/amd64",
      skipped: [],
      bumps: [
        {
          image: "r.io/app:1.2",
          explanation: {
            diff: { added: [], removed: [], upgraded: [], downgraded: [] },
            fixed: [
              {
                id: "CVE-2024-5535",
                aliases: [],
                package: "openssl",
                url: "https://nvd.nist.gov/vuln/detail/CVE-2024-5535",
                via: "version-change",
              },
            ],
            introduced: [],
            ecosystem: "wolfi",
            problems: [],
          },
        },
      ],
    };
    expect(commitMessage(pr!, explanation)).toBe(
      [
        `Bump r.io/app:1.2 digest to ${"b".repeat(12)}`,
        "",
        "The tag r.io/app:1.2 moved to a new digest in its registry.",
        "",
        `- Dockerfile line 2 (ARG default, used on line 4): r.io/app 1.2, ${digest("a")} -> ${digest("b")}`,
        `- Dockerfile line 5: r.io/app 1.2, ${digest("a")} -> ${digest("b")}`,
        "",
        "New r.io/app:1.2: created 2026-11-01T10:00:00Z; platforms linux/amd64.",
        "Fixes 1 advisory: CVE-2024-5535.",
        "",
        `Repin-Content: ${pr!.content}`,
        "",
      ].join("\n"),
    );
    // Without an explanation, no claim about advisories.
    expect(commitMessage(pr!)).not.toContain("Fixes");
  });

  it("says why for a pin and a tag update", () => {
    const pin = { ...direct, currentDigest: null, action: "pin" as const };
    const content = "FROM r.io/app:1.2\n";
    const [pinPr] = desiredPrs(
      [{ ...pin, line: 1, edits: [{ range: { start: 17, end: 17 }, text: `@${digest("b")}` }] }],
      [{ path: "Dockerfile", content }],
      "image",
    );
    expect(commitMessage(pinPr!)).toContain(
      "r.io/app:1.2 is pinned to the digest its registry serves now (config pin: true).",
    );
    expect(commitMessage(pinPr!)).toContain(`- Dockerfile line 1: r.io/app 1.2, unpinned -> ${digest("b")}`);
    const [tagPr] = desiredPrs(
      [{ ...direct, line: 1, newTag: "1.3", edits: [{ range: { start: 14, end: 17 }, text: "1.3" }] }],
      [{ path: "Dockerfile", content }],
      "image",
    );
    expect(commitMessage(tagPr!)).toContain("r.io/app has a newer release: tag 1.2 moves to 1.3.");
  });
});
