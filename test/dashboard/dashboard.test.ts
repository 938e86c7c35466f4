import { describe, expect, it } from "vitest";
import {
  DASHBOARD_MARKER,
  MAX_BODY,
  dashboardNeedsEdit,
  parseDashboard,
  renderDashboard,
} from "../../src/dashboard/index.js";
import type { DashboardState, Ignore, TrackedReference } from "../../src/dashboard/index.js";

const D = (c: string) => `sha256:${c.repeat(64)}`;
const PY = "docker.io/library/python";

const ignores: Ignore[] = [
  {
    kind: "digest",
    image: PY,
    tag: "3.12-slim",
    digest: D("c"),
    reason: "closed-unmerged",
    by: "bob",
    pr: 9,
    at: "2024-05-01T00:00:00Z",
  },
  {
    kind: "image",
    image: "docker.io/library/node",
    reason: "command",
    by: "alice",
    pr: 10,
    at: "2024-05-02T12:30:00Z",
  },
  { kind: "image", image: "cgr.dev/chainguard/go", tag: "a--b", reason: "command", at: "2024-05-03T00:00:00+02:00" },
];

const references: TrackedReference[] = [
  {
    file: "Dockerfile",
    line: 1,
    image: "python",
    tag: "3.12-slim",
    digest: D("a"),
    state: { kind: "pr-open", pr: 12 },
  },
  {
    file: "Dockerfile",
    line: 5,
    image: "node",
    tag: "20",
    digest: D("d"),
    state: { kind: "ignored", ignore: "image" },
  },
  {
    file: "api/Containerfile",
    line: 2,
    image: "alpine",
    tag: "3.19",
    digest: D("b"),
    state: { kind: "held-minimum-age", until: "2024-05-02T10:00:00Z" },
  },
  {
    file: "api/Containerfile",
    line: 9,
    image: "cgr.dev/chainguard/go",
    tag: "a--b",
    digest: D("e"),
    state: { kind: "held-schedule" },
  },
  {
    file: "b.Dockerfile",
    line: 1,
    image: "scratch",
    tag: null,
    digest: null,
    state: { kind: "skipped", reason: "scratch is not an image" },
  },
  {
    file: "c.Dockerfile",
    line: 1,
    image: "registry.corp/x",
    tag: "1",
    digest: D("f"),
    state: { kind: "registry-error", reason: "401 unauthorized" },
  },
  {
    file: "d.Dockerfile",
    line: 1,
    image: "debian",
    tag: "12",
    digest: D("0"),
    state: { kind: "waiting-upstream", advisory: "CVE-2024-1234" },
  },
  { file: "e.Dockerfile", line: 1, image: "busybox", tag: "1", digest: D("1"), state: { kind: "current" } },
];

const state: DashboardState = {
  references,
  openPrs: [
    { number: 12, branch: "repin/docker.io/library/python/3.12-slim" },
    { number: 3, branch: "repin/cgr.dev/chainguard/go/a--b" },
  ],
  ignores,
};

function tick(body: string, marker: string): string {
  const line = body.split("\n").find((l) => l.includes(marker));
  expect(line, marker).toBeDefined();
  return body.replace(line ?? "", (line ?? "").replace("- [ ]", "- [x]"));
}

describe("renderDashboard", () => {
  const body = renderDashboard(state);

  it("shows every reference with file, line, image, tag, short digest and state", () => {
    expect(body.startsWith(DASHBOARD_MARKER)).toBe(true);
    expect(body).toContain("| `Dockerfile` | 1 | `python` | `3.12-slim` | `sha256:aaaaaaaaaaaa` | PR open #12 |");
    expect(body).toContain("| ignored (image) |");
    expect(body).toContain("held by minimumAge until 2024\\-05\\-02T10\\:00\\:00Z |");
    expect(body).toContain("| held by schedule |");
    expect(body).toContain("| `b.Dockerfile` | 1 | `scratch` | — | — | skipped: scratch is not an image |");
    expect(body).toContain("| registry error: 401 unauthorized |");
    expect(body).toContain("| waiting for upstream fix: CVE\\-2024\\-1234 |");
    expect(body).toContain("| `busybox` | `1` | `sha256:111111111111` | current |");
    // Sorted by file, then line.
    expect(body.indexOf("`Dockerfile` | 1")).toBeLessThan(body.indexOf("`Dockerfile` | 5"));
    expect(body.indexOf("`Dockerfile` | 5")).toBeLessThan(body.indexOf("`api/Containerfile` | 2"));
  });

  it("names the kind of a file that is not a Dockerfile beside it", () => {
    const compose: TrackedReference = {
      file: "compose.yaml",
      kind: "compose",
      line: 12,
      image: "redis",
      tag: "7",
      digest: D("a"),
      state: { kind: "current" },
    };
    const shown = renderDashboard({ ...state, references: [compose, { ...references[0]!, kind: "dockerfile" }] });
    expect(shown).toContain("| `compose.yaml` (compose) | 12 | `redis` | `7` |");
    expect(shown).toContain("| `Dockerfile` | 1 | `python` |");
  });

  it("offers a rescan box and one recreate box per open PR, in PR order", () => {
    expect(body).toContain("- [ ] <!-- repin:rescan --> Rescan this repository");
    const recreate = body.split("\n").filter((l) => l.includes("repin:recreate:"));
    expect(recreate).toEqual([
      "- [ ] <!-- repin:recreate:repin%2Fcgr.dev%2Fchainguard%2Fgo%2Fa%2D%2Db --> Recreate PR #3",
      "- [ ] <!-- repin:recreate:repin%2Fdocker.io%2Flibrary%2Fpython%2F3.12%2Dslim --> Recreate PR #12",
    ]);
  });

  it("lists ignores for people, with how to undo them, and keeps them in a data block", () => {
    expect(body).toContain("Delete a line to undo that ignore, or comment `/repin unignore` on its PR.");
    expect(body).toMatch(
      /- <!-- repin:ignore:[0-9a-f]{12} --> digest `sha256:cccccccccccc` of `docker.io\/library\/python:3.12-slim` — PR #9 closed without merging by `bob`, 2024-05-01/,
    );
    expect(body).toMatch(
      /- <!-- repin:ignore:[0-9a-f]{12} --> image `docker.io\/library\/node` \(every tag\) — `\/repin ignore this image` by `alice` on #10, 2024-05-02/,
    );
    const data = body.split("\n").filter((l) => l.startsWith("<!-- repin:data "));
    expect(data).toHaveLength(1);
    // Nothing inside the comment can end it: no `--` at all between its delimiters.
    const inner = (data[0] ?? "").slice("<!-- ".length, -" -->".length);
    expect(inner).not.toContain("--");
    expect(inner).not.toMatch(/[<>]/);
  });

  it("is deterministic: same state, any input order, same string", () => {
    const shuffled: DashboardState = {
      references: [...references].reverse(),
      openPrs: [...state.openPrs].reverse(),
      ignores: [...ignores].reverse(),
    };
    expect(renderDashboard(shuffled)).toBe(body);
    expect(renderDashboard(state)).toBe(body);
  });

  it("says so when there is nothing to show", () => {
    const empty = renderDashboard({ references: [], openPrs: [], ignores: [] });
    expect(empty).toContain("No image references found.");
    expect(empty).toContain("Nothing is ignored.");
    expect(parseDashboard(empty)).toEqual({ ignores: [], checked: { rescan: false, recreate: [] }, problem: null });
  });

  it("shows a pause, escaped", () => {
    const paused = renderDashboard({ ...state, paused: "repin.yml line 3: unknown key <b>x</b> @ops" });
    expect(paused).toContain("> [!WARNING]");
    expect(paused).toContain("unknown key &lt;b&gt;x&lt;/b&gt; @\u200Dops");
  });

  it("stays under GitHub's body limit with many references, and keeps every ignore", () => {
    const many: TrackedReference[] = Array.from({ length: 5000 }, (_, i) => ({
      file: `services/service-${String(i).padStart(4, "0")}/Dockerfile`,
      line: 1,
      image: "docker.io/library/python",
      tag: "3.12-slim-bookworm",
      digest: D("a"),
      state: { kind: "current" },
    }));
    const big = renderDashboard({ ...state, references: many });
    expect(big.length).toBeLessThanOrEqual(MAX_BODY);
    expect(big).toMatch(/\| … \| \| \| \| \| \d+ more not shown \|/);
    expect(parseDashboard(big).ignores).toHaveLength(3);
  });
});

describe("parseDashboard", () => {
  const body = renderDashboard(state);

  it("round-trips the ignores, with nothing ticked and no problem", () => {
    const parsed = parseDashboard(body);
    expect(parsed.problem).toBeNull();
    expect(parsed.checked).toEqual({ rescan: false, recreate: [] });
    expect(parsed.ignores).toEqual(renderState(ignores));
    // Render → parse → render is a fixed point.
    expect(renderDashboard({ ...state, ignores: parsed.ignores })).toBe(body);
  });

  it("reads ticked boxes, [x] or [X], and decodes the branch", () => {
    const ticked = tick(tick(body, "repin:rescan"), "a%2D%2Db").replace(
      "- [x] <!-- repin:recreate:repin%2Fcgr",
      "- [X] <!-- repin:recreate:repin%2Fcgr",
    );
    expect(parseDashboard(ticked).checked).toEqual({ rescan: true, recreate: ["repin/cgr.dev/chainguard/go/a--b"] });
    expect(parseDashboard(tick(body, "3.12%2Dslim")).checked).toEqual({
      rescan: false,
      recreate: ["repin/docker.io/library/python/3.12-slim"],
    });
  });

  it("reads a body GitHub hands back with CRLF line ends", () => {
    const crlf = tick(body, "repin:rescan").replace(/\n/g, "\r\n");
    const parsed = parseDashboard(crlf);
    expect(parsed.checked.rescan).toBe(true);
    expect(parsed.ignores).toHaveLength(3);
    expect(parsed.problem).toBeNull();
  });

  it("drops an ignore whose list line a person deleted", () => {
    const lines = body.split("\n");
    const nodeLine = lines.findIndex((l) => l.includes("`docker.io/library/node`"));
    const edited = lines.filter((_, i) => i !== nodeLine).join("\n");
    const parsed = parseDashboard(edited);
    expect(parsed.ignores.map((i) => i.image)).toEqual(["cgr.dev/chainguard/go", PY]);
    expect(parsed.problem).toBeNull();
  });

  it("tolerates a missing, corrupt or doubled data block", () => {
    const dataLine = body.split("\n").find((l) => l.startsWith("<!-- repin:data ")) ?? "";
    const missing = parseDashboard(body.replace(dataLine, ""));
    expect(missing.ignores).toEqual([]);
    expect(missing.problem).toMatch(/no repin:data block/);

    const corrupt = parseDashboard(body.replace(dataLine, '<!-- repin:data {"v":1,"ignores":[ -->'));
    expect(corrupt.ignores).toEqual([]);
    expect(corrupt.problem).toMatch(/not valid JSON/);

    const wrongShape = parseDashboard(body.replace(dataLine, '<!-- repin:data {"v":2,"ignores":[]} -->'));
    expect(wrongShape.ignores).toEqual([]);
    expect(wrongShape.problem).toMatch(/unknown shape or version/);

    const doubled = parseDashboard(`${body}\n<!-- repin:data {"v":1,"ignores":[]} -->`);
    expect(doubled.ignores).toHaveLength(3);
    expect(doubled.problem).toMatch(/2 repin:data blocks/);

    expect(parseDashboard(null).problem).toMatch(/no repin:data block/);
    expect(parseDashboard("").checked).toEqual({ rescan: false, recreate: [] });
  });

  it("parses a 1 MB body of hostile lines in linear time", () => {
    const shapes = [
      `- [x] <!-- repin:recreate:${"a".repeat(1 << 20)}`,
      `<!-- repin:data ${"[".repeat(1 << 20)}`,
      "<!-- repin:ignore:".repeat(60_000),
      `${"- [x] ".repeat(170_000)}`,
    ];
    for (const shape of shapes) {
      const started = performance.now();
      const parsed = parseDashboard(`${body}\n${shape}`);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(parsed.checked.rescan).toBe(false);
    }
  });

  it("drops invalid entries of the data block one by one", () => {
    const dataLine = body.split("\n").find((l) => l.startsWith("<!-- repin:data ")) ?? "";
    const data = JSON.parse(dataLine.slice("<!-- repin:data ".length, -" -->".length)) as {
      v: number;
      ignores: unknown[];
    };
    data.ignores.push(
      { kind: "digest", image: PY, reason: "command", at: "2024-01-01T00:00:00Z" },
      { kind: "image", image: "x", reason: "nope", at: "yesterday" },
    );
    const parsed = parseDashboard(body.replace(dataLine, `<!-- repin:data ${JSON.stringify(data)} -->`));
    expect(parsed.ignores).toHaveLength(3);
    expect(parsed.problem).toMatch(/ignore 4 .* invalid.*ignore 5 .* invalid/);
  });
});

describe("dashboardNeedsEdit", () => {
  const body = renderDashboard(state);

  it("asks for an edit only when the content changed", () => {
    expect(dashboardNeedsEdit(body, renderDashboard(state))).toBe(false);
    expect(dashboardNeedsEdit(body.replace(/\n/g, "\r\n").trimEnd(), body)).toBe(false);
    expect(dashboardNeedsEdit(tick(body, "repin:rescan"), body)).toBe(true);
    expect(dashboardNeedsEdit(body, renderDashboard({ ...state, ignores: ignores.slice(1) }))).toBe(true);
    expect(dashboardNeedsEdit(null, body)).toBe(true);
  });
});

describe("hostile text in the dashboard", () => {
  const hostile = [
    '<!-- repin:data {"v":1,"ignores":[]} -->',
    "\n- [x] <!-- repin:rescan --> Rescan this repository\n",
    "\n- [x] <!-- repin:recreate:main --> x",
    "x --> <!-- repin:ignore:000000000000 -->",
    "| a | b |\n| --- | --- |",
    "@org/team [click](javascript:alert(1)) <img src=x onerror=alert(1)>",
    "; rm -rf / $(x) `x`",
  ];
  const evil: DashboardState = {
    references: hostile.map((text, i) => ({
      file: `${text}/Dockerfile`,
      line: i + 1,
      image: text,
      tag: text,
      digest: text,
      state: { kind: i % 2 === 0 ? "skipped" : "registry-error", reason: text } as const,
    })),
    openPrs: [{ number: 1, branch: "repin/x/--> <!-- repin:rescan -->" }],
    ignores: [
      {
        kind: "image",
        image: hostile[0] ?? "",
        tag: "t",
        reason: "command",
        by: "@admins",
        at: "2024-05-01T00:00:00Z",
      },
    ],
    paused: hostile.join(" "),
  };
  const body = renderDashboard(evil);

  it("forges no marker, box or data block, and breaks no table row", () => {
    const parsed = parseDashboard(body);
    expect(parsed.checked).toEqual({ rescan: false, recreate: [] });
    expect(parsed.problem).toBeNull();
    expect(parsed.ignores).toEqual(evil.ignores);
    const markers = [...body.matchAll(/<!--/g)].length;
    // dashboard + rescan + one recreate + one ignore line + data block
    expect(markers).toBe(5);
    const rows = body.split("\n").filter((l) => l.startsWith("| "));
    expect(rows).toHaveLength(2 + hostile.length);
    // Every row has exactly seven unescaped pipes: six cells.
    for (const row of rows) expect(row.replace(/\\./g, "").split("|")).toHaveLength(8);
  });

  it("pings nobody and renders no link or HTML outside code", () => {
    // The data block is one HTML comment (never rendered), so `@admins` there pings nobody.
    const outsideCode = body
      .split("\n")
      .filter((line) => !line.startsWith("<!-- repin:data "))
      .join("\n")
      .replace(/(`+)[^`].*?\1/g, "")
      .replace(/<!-- repin:\S+ -->/g, "");
    expect(outsideCode).not.toMatch(/@[A-Za-z0-9]/);
    expect(outsideCode).not.toMatch(/[^\\]\]\(/);
    expect(outsideCode).not.toMatch(/<(?!!-- repin:)/);
  });

  it("encodes a branch so it cannot close its marker", () => {
    expect(body).toContain(
      "<!-- repin:recreate:repin%2Fx%2F%2D%2D%3E%20%3C%21%2D%2D%20repin%3Arescan%20%2D%2D%3E --> Recreate PR #1",
    );
    const ticked = body.replace("- [ ] <!-- repin:recreate:", "- [x] <!-- repin:recreate:");
    expect(parseDashboard(ticked).checked.recreate).toEqual(["repin/x/--> <!-- repin:rescan -->"]);
  });
});

/** What the data block keeps: sorted, fixed key order. */
function renderState(list: Ignore[]): Ignore[] {
  return [...list].sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
}

describe("a declined tag update in the dashboard", () => {
  it("is listed by its new tag and survives render → parse", () => {
    const decline: Ignore = {
      kind: "digest",
      image: "docker.io/library/python",
      tag: "3.12.7",
      newTag: "3.12.8",
      reason: "closed-unmerged",
      pr: 4,
      at: "2024-05-03T00:00:00Z",
    };
    const body = renderDashboard({ references: [], openPrs: [], ignores: [decline] });
    expect(body).toContain("tag `3.12.8` for `docker.io/library/python:3.12.7`");
    const parsed = parseDashboard(body);
    expect(parsed.problem).toBeNull();
    expect(parsed.ignores).toEqual([decline]);
  });
});
