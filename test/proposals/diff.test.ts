import { describe, expect, it } from "vitest";
import {
  BLANK_MARKER,
  factsNeeded,
  prActions,
  type ClosedPr,
  type DiffInput,
  type DiffSettings,
  type PrAction,
} from "../../src/proposals/index.js";
import { branchOf, desired, marker, openPr, update } from "./support.js";

// The PR lifecycle of SPEC 5 and 6 as a table: (desired, open, closed, settings) → actions.
// The end-to-end tests in test/app run the same rules through Probot and the GitHub simulator.

/** One line per action: what a reviewer of the table needs to see. */
function summary(action: PrAction): string {
  switch (action.kind) {
    case "create":
      return `create ${action.pr.branch}`;
    case "rewrite":
      return `rewrite #${action.number}${action.reviewOk === undefined ? "" : ` reviewOk=${action.reviewOk}`}`;
    case "retitle":
      return `retitle #${action.number} ${action.reason} on ${action.commit}`;
    case "close":
      return `close #${action.pr.number}${action.deleteBranch ? " and delete its branch" : ""}`;
    case "record-closed":
      return `record-closed #${action.closed.number}`;
    case "say-foreign":
      return `say-foreign #${action.pr.number}`;
    case "leave":
      return `leave ${action.number === null ? action.branch : `#${action.number}`} ${action.reason}`;
    case "defer":
    case "refuse":
      return `${action.kind} ${action.branch} ${action.reason}`;
  }
}

const A = desired("a");
const A1 = desired("a", "v1");
const A3 = desired("a", "v3");
const B = desired("b");
const closedPr = (number: number, pr = A, extra: Partial<ClosedPr> & { ignore?: "digest" | "image" | "none" } = {}) => {
  const { ignore, ...rest } = extra;
  return { number, marker: marker(pr, ignore ? { ignore } : {}), body: "closed body", merged: false, ...rest };
};

interface Row {
  readonly rule: string;
  readonly input: Partial<Omit<DiffInput, "settings">> & { readonly settings?: Partial<DiffSettings> };
  readonly actions: readonly string[];
}

const rows: readonly Row[] = [
  // Opening and keeping up to date
  { rule: "a new digest opens a PR", input: { desired: [A] }, actions: [`create ${A.branch}`] },
  {
    rule: "a rerun over what the last run left writes nothing",
    input: { desired: [A], open: [openPr(1, A)] },
    actions: [],
  },
  {
    rule: "a newer digest rewrites the same PR",
    input: { desired: [A3], open: [openPr(1, A)] },
    actions: ["rewrite #1"],
  },
  {
    rule: "a marker a person edited out: the body is rewritten (repin's own commit on the branch)",
    input: {
      desired: [A3],
      open: [openPr(1, A, { marker: BLANK_MARKER, headSha: "c1", head: { byRepin: true, content: A.content } })],
    },
    actions: ["rewrite #1"],
  },
  {
    rule: "a run that died after moving the branch: only the PR's title and body are written",
    input: { desired: [A3], open: [openPr(1, A, { headSha: "c3", head: { byRepin: true, content: A3.content } })] },
    actions: ["retitle #1 interrupted-run on c3"],
  },
  // Closing
  {
    rule: "the change is on the base branch (updated by hand): closed with a comment, its branch deleted",
    input: { open: [openPr(1, A)], updates: [update("a", "none")] },
    actions: ["close #1 and delete its branch"],
  },
  {
    rule: "the image is gone from the repository: closed",
    input: { open: [openPr(1, A)], updates: [] },
    actions: ["close #1 and delete its branch"],
  },
  {
    rule: "closing keeps a branch someone else pushed to",
    input: { open: [openPr(1, A, { headSha: "theirs" })], updates: [update("a", "none")] },
    actions: ["close #1"],
  },
  {
    rule: "a reference the config ignores does not keep a PR open",
    input: {
      open: [openPr(1, A)],
      updates: [update("a", "none"), update("a", "skip", { reason: { code: "ignored", detail: "" }, line: 2 })],
    },
    actions: ["close #1 and delete its branch"],
  },
  {
    rule: "a newer digest held back (minimumAge, ignored) keeps the open PR as it is",
    input: { open: [openPr(1, A)], updates: [update("a", "bump")] },
    actions: [`leave #1 unsettled`],
  },
  {
    rule: "a registry that did not answer keeps the open PR as it is",
    input: { open: [openPr(1, A)], updates: [update("a", "skip", { reason: { code: "registry-error", detail: "" } })] },
    actions: [`leave #1 unsettled`],
  },
  // Closed PRs
  {
    rule: "closed unmerged: not reopened for that digest (its marker is the record without a dashboard)",
    input: { desired: [A], closed: new Map([[A.branch, [closedPr(5)]]]) },
    actions: [`leave ${A.branch} declined`],
  },
  {
    rule: "closed unmerged: a newer digest opens a new PR",
    input: { desired: [A3], closed: new Map([[A.branch, [closedPr(5)]]]) },
    actions: [`create ${A.branch}`],
  },
  {
    rule: "closed unmerged with the dashboard on: recorded there once, and not reopened",
    input: { desired: [A], closed: new Map([[A.branch, [closedPr(5)]]]), settings: { recordClosed: true } },
    actions: ["record-closed #5", `leave ${A.branch} declined`],
  },
  {
    rule: "already recorded in the dashboard: the dashboard is the record (deleting its line undoes it)",
    input: {
      desired: [A],
      closed: new Map([[A.branch, [closedPr(5, A, { ignore: "digest" })]]]),
      settings: { recordClosed: true },
    },
    actions: [`create ${A.branch}`],
  },
  {
    rule: "/repin ignore this image without a dashboard: every digest declined",
    input: { desired: [A3], closed: new Map([[A.branch, [closedPr(5, A, { ignore: "image" })]]]) },
    actions: [`leave ${A.branch} declined`],
  },
  {
    rule: "/repin unignore without a dashboard: the closed PR declines nothing",
    input: { desired: [A], closed: new Map([[A.branch, [closedPr(5, A, { ignore: "none" })]]]) },
    actions: [`create ${A.branch}`],
  },
  {
    rule: "merged with this target: not opened again; a newer target is",
    input: {
      desired: [A, B],
      closed: new Map([
        [A.branch, [closedPr(5, A, { merged: true })]],
        [B.branch, [closedPr(6, desired("b", "v1"), { merged: true })]],
      ]),
    },
    actions: [`leave ${A.branch} declined`, `create ${B.branch}`],
  },
  // Someone else's push, reviews, forcing
  {
    rule: "someone else pushed: left alone and said once",
    input: { desired: [A3], open: [openPr(1, A, { headSha: "theirs", head: { byRepin: false, content: null } })] },
    actions: ["say-foreign #1", "leave #1 foreign-push"],
  },
  {
    rule: "someone else pushed, already said: left alone, nothing said",
    input: {
      desired: [A3],
      open: [
        openPr(1, A, {
          marker: marker(A, { foreign: true }),
          headSha: "theirs",
          head: { byRepin: false, content: null },
        }),
      ],
    },
    actions: ["leave #1 foreign-push"],
  },
  {
    rule: "a copied commit message (trailer included) does not make a person's commit repin's",
    input: { desired: [A], open: [openPr(1, A, { headSha: "amended", head: { byRepin: false, content: null } })] },
    actions: ["say-foreign #1", "leave #1 foreign-push"],
  },
  {
    rule: "/repin rebase on a branch someone else pushed to is refused",
    input: {
      desired: [A],
      open: [
        openPr(1, A, {
          marker: marker(A, { foreign: true }),
          headSha: "theirs",
          head: { byRepin: false, content: null },
        }),
      ],
      settings: { force: new Map([[A.branch, "rebase"]]) },
    },
    actions: ["leave #1 foreign-push", `refuse ${A.branch} foreign-push`],
  },
  {
    rule: "/repin recreate takes the branch back",
    input: {
      desired: [A],
      open: [openPr(1, A, { headSha: "theirs", blockingReview: null })],
      settings: { force: new Map([[A.branch, "recreate"]]) },
    },
    actions: ["rewrite #1"],
  },
  {
    rule: "/repin rebase rebuilds a PR that is up to date",
    input: {
      desired: [A],
      open: [openPr(1, A, { blockingReview: null })],
      settings: { force: new Map([[A.branch, "rebase"]]) },
    },
    actions: ["rewrite #1"],
  },
  {
    rule: "a changes-requested review holds the PR",
    input: { desired: [A3], open: [openPr(1, A, { blockingReview: 42 })] },
    actions: ["leave #1 changes-requested"],
  },
  {
    rule: "/repin rebase overrides the review, and the marker remembers it",
    input: {
      desired: [A3],
      open: [openPr(1, A, { blockingReview: 42 })],
      settings: { force: new Map([[A.branch, "rebase"]]) },
    },
    actions: ["rewrite #1 reviewOk=42"],
  },
  {
    rule: "an overridden review no longer holds the PR",
    input: { desired: [A3], open: [openPr(1, A, { marker: marker(A, { reviewOk: 42 }), blockingReview: 42 })] },
    actions: ["rewrite #1 reviewOk=42"],
  },
  {
    rule: "a forced branch repin proposes nothing for is refused",
    input: {
      open: [openPr(1, A)],
      updates: [update("a", "bump")],
      settings: { force: new Map([[A.branch, "recreate"]]) },
    },
    actions: ["leave #1 unsettled", `refuse ${A.branch} nothing-proposed`],
  },
  // Limits and holds
  {
    rule: "prConcurrentLimit: the PRs over the limit wait",
    input: { desired: [A, B], settings: { prConcurrentLimit: 1 } },
    actions: [`create ${A.branch}`, `defer ${B.branch} pr-concurrent-limit`],
  },
  {
    rule: "prConcurrentLimit counts the open PRs kept, not the ones closed",
    input: {
      desired: [B],
      open: [openPr(1, A), openPr(2, desired("c"))],
      updates: [update("a", "bump"), update("c", "none")],
      settings: { prConcurrentLimit: 2 },
    },
    actions: ["leave #1 unsettled", "close #2 and delete its branch", `create ${B.branch}`],
  },
  {
    rule: "outside the schedule nothing is opened, rewritten or closed",
    input: {
      desired: [A3, B],
      open: [openPr(1, A), openPr(2, desired("c"))],
      updates: [update("c", "none")],
      settings: { hold: true },
    },
    actions: [],
  },
  {
    rule: "outside the schedule, PRs that fix advisories are written",
    input: {
      desired: [A3, B],
      open: [openPr(1, A, { blockingReview: null })],
      settings: { hold: true, urgent: new Set([A.branch, B.branch]) },
    },
    actions: ["rewrite #1", `create ${B.branch}`],
  },
  {
    rule: "outside the schedule, the limit counts every open PR",
    input: {
      desired: [B],
      open: [openPr(1, A)],
      settings: { hold: true, urgent: new Set([B.branch]), prConcurrentLimit: 1 },
    },
    actions: [`defer ${B.branch} pr-concurrent-limit`],
  },
  // Advisories
  {
    rule: "the security verdict catches up: body (and label) rewritten, no new commit",
    input: { desired: [A], open: [openPr(1, A)], settings: { verdicts: new Map([[A.branch, 2]]) } },
    actions: [`retitle #1 advisories-changed on commit-${A.content}`],
  },
  {
    rule: "the same verdict as the body says: nothing",
    input: {
      desired: [A],
      open: [openPr(1, A, { marker: marker(A, { fixes: 2 }) })],
      settings: { verdicts: new Map([[A.branch, 2]]) },
    },
    actions: [],
  },
  {
    rule: "no sure verdict (a registry failed while explaining): nothing",
    input: { desired: [A], open: [openPr(1, A, { marker: marker(A, { fixes: 2 }) })] },
    actions: [],
  },
  {
    rule: "a PR for an older digest and one for a newer: the same branch, one PR",
    input: { desired: [A3], open: [openPr(1, A1)] },
    actions: ["rewrite #1"],
  },
];

describe("prActions", () => {
  it.each(rows)("$rule", ({ input, actions }) => {
    const result = prActions({
      desired: input.desired ?? [],
      open: input.open ?? [],
      closed: input.closed ?? new Map(),
      updates: input.updates ?? [],
      settings: { prConcurrentLimit: 0, ...input.settings },
    });
    expect(result.map(summary)).toEqual(actions);
  });

  it("groups everything in one PR on repin/all, and closes it only when every image is settled", () => {
    const all = { ...desired("a"), key: "all", branch: "repin/all" };
    const open = [openPr(1, all)];
    const settledAll = { desired: [], open, closed: new Map(), settings: { prConcurrentLimit: 0 } };
    expect(prActions({ ...settledAll, updates: [update("a", "none"), update("b", "none")] }).map(summary)).toEqual([
      "close #1 and delete its branch",
    ]);
    expect(prActions({ ...settledAll, updates: [update("a", "none"), update("b", "bump")] }).map(summary)).toEqual([
      "leave #1 unsettled",
    ]);
    expect(branchOf("a")).toBe("repin/r.io/a/latest");
  });
});

describe("factsNeeded", () => {
  const base = { updates: [], settings: { prConcurrentLimit: 0 } };
  it("asks who made a head only when it is not the marker's commit, and reviews only before a rewrite", () => {
    const moved = openPr(1, A, { headSha: "x" });
    const current = openPr(2, B);
    const stale = openPr(3, desired("c", "v1"));
    const needed = factsNeeded({
      ...base,
      desired: [A3, B, desired("c"), desired("d")],
      open: [moved, current, stale],
    });
    expect(needed).toEqual({ heads: [1], reviews: [3], closed: [branchOf("d")] });
  });

  it("asks for reviews of a moved head once it is known to be repin's and differs", () => {
    const ours = openPr(1, A, { headSha: "x", head: { byRepin: true, content: A.content } });
    const theirs = openPr(2, B, { headSha: "y", head: { byRepin: false, content: null } });
    expect(factsNeeded({ ...base, desired: [A3, desired("b", "v3")], open: [ours, theirs] })).toEqual({
      heads: [],
      reviews: [1],
      closed: [],
    });
  });

  it("outside the schedule asks about urgent branches only", () => {
    const settings = { prConcurrentLimit: 0, hold: true, urgent: new Set([B.branch]) };
    expect(factsNeeded({ updates: [], settings, desired: [A, B], open: [] })).toEqual({
      heads: [],
      reviews: [],
      closed: [B.branch],
    });
  });
});
