import { describe, expect, it } from "vitest";
import type { Explanation } from "../../src/explain/index.js";
import {
  desiredPrs,
  parseMarker,
  renderBody,
  renderPrExplanation,
  type PrExplanation,
} from "../../src/proposals/index.js";
import type { Update } from "../../src/plan/index.js";

// The PR body's explanation section, pure: wording, notes, and GitHub's 65,536-character limit.
const digest = (c: string) => `sha256:${c.repeat(64)}`;

function bumps(count: number): { updates: Update[]; files: { path: string; content: string }[] } {
  const updates: Update[] = [];
  const files = [];
  for (let i = 0; i < count; i++) {
    const path = `svc${i}/Dockerfile`;
    const content = `FROM img:latest@${digest("a")}\n`;
    files.push({ path, content });
    const start = content.indexOf(digest("a"));
    updates.push({
      file: path,
      kind: "dockerfile",
      line: 1,
      image: "img:latest",
      tag: "latest",
      newTag: null,
      currentDigest: digest("a"),
      newDigest: digest("b"),
      action: "bump",
      reason: null,
      source: { registry: "docker.io", repository: "library/img" },
      created: null,
      platforms: [],
      edits: [{ range: { start, end: start + 71 }, text: digest("b") }],
    });
  }
  return { updates, files };
}

const fix = {
  id: "CVE-2024-5535",
  aliases: [],
  package: "openssl",
  oldVersion: "3.3.1-r0",
  newVersion: "3.3.2-r0",
  url: "https://nvd.nist.gov/vuln/detail/CVE-2024-5535",
  via: "version-change" as const,
};
const big: Explanation = {
  ecosystem: "wolfi",
  problems: [],
  fixed: [fix, { ...fix, id: "CVE-2024-9143" }],
  introduced: [],
  diff: {
    added: [],
    removed: [],
    downgraded: [],
    upgraded: Array.from({ length: 3000 }, (_, i) => ({ name: `package-${i}`, from: "1.0-r0", to: "1.0-r1" })),
  },
};
const unreadable: Explanation = {
  ecosystem: null,
  problems: ["could not read the new image sha256:bbbbbbbbbbbb: the image's layers are 9 bytes, over the 1-byte limit"],
  fixed: [],
  introduced: [],
  diff: null,
  failures: ["too-large"],
};

describe("renderPrExplanation", () => {
  it("says why a PR skipped the schedule, counts distinct advisories, and gives one line per unreadable image", () => {
    const e: PrExplanation = {
      platform: "linux/arm64",
      skipped: ["schedule"],
      bumps: [
        { image: "a:1", explanation: big },
        { image: "b:1", explanation: { ...big, fixed: [fix] } },
        { image: "c:1", explanation: unreadable },
      ],
    };
    const text = renderPrExplanation(e, 60_000);
    expect(text.split("\n").slice(0, 2)).toEqual([
      "> [!IMPORTANT]",
      "> Opened outside the schedule because it fixes 2 advisories.",
    ]);
    expect(text).toContain("### What changed in `a:1`");
    expect(text).toContain("### What changed in `b:1`");
    expect(text.split("\n").filter((l) => l.startsWith("> Packages not compared"))).toEqual([
      "> Packages not compared for `c:1`: could not read the new image sha256:bbbbbbbbbbbb: the image's layers are 9 bytes, over the 1-byte limit",
    ]);
    expect(text.length).toBeLessThanOrEqual(60_000);
    expect(renderPrExplanation({ ...e, skipped: [] }, 60_000)).not.toContain("Opened");
  });

  it("leaves the diffs out, keeping the notes, when there is no room", () => {
    const e: PrExplanation = {
      platform: "linux/amd64",
      skipped: ["minimumAge"],
      bumps: [{ image: "a:1", explanation: big }],
    };
    const text = renderPrExplanation(e, 900);
    expect(text).toContain("> Opened before minimumAge because it fixes 2 advisories.");
    expect(text).toContain("The package diffs are left out");
    expect(text).not.toContain("### What changed");
  });
});

describe("renderBody with explanations", () => {
  it("stays under GitHub's limit with a long file table and many big sections, marker last", () => {
    const { updates, files } = bumps(400);
    const [pr] = desiredPrs(updates, files, "all");
    const marker = {
      v: 1 as const,
      key: pr!.key,
      image: pr!.image,
      tag: pr!.tag,
      newTag: null,
      digest: pr!.digest,
      target: pr!.target,
      content: pr!.content,
      commit: "c0ffee",
    };
    const explanation: PrExplanation = {
      platform: "linux/amd64",
      skipped: [],
      bumps: Array.from({ length: 8 }, (_, i) => ({ image: `img${i}:latest`, explanation: big })),
    };
    const body = renderBody(pr!, marker, explanation);
    expect(body.length).toBeLessThanOrEqual(65_000);
    expect(body).toContain("### What changed in `img7:latest`");
    expect(body).toContain("| `svc0/Dockerfile` | 1 |");
    expect(body).toMatch(/\| … \| \| \| \| \d+ more not shown \|/);
    expect(parseMarker(body)).toEqual(marker);
    expect(body.trimEnd().endsWith("-->")).toBe(true);
  });
});
