import { describe, expect, it } from "vitest";
import type { Ignore } from "../../src/dashboard/index.js";
import type { TextEdit } from "../../src/dockerfile/index.js";
import type { SourceFile, Update } from "../../src/plan/index.js";
import {
  closedIgnore,
  decideProposals,
  declinedTarget,
  markerFor,
  prActions,
  type ProposalInput,
} from "../../src/proposals/index.js";
import { proposalInput, REGISTRY, update } from "./support.js";

// SPEC 5: the same lifecycle for every kind of PR — digest bump, pin, tag update; pinned or not.
// Each kind × closed unmerged / `/repin ignore` / minimumAge / schedule, from the plan's updates
// to the PR actions, on plain data.
const HOUR = 3_600_000;
const NOW = new Date("2024-03-01T00:00:00Z");

interface Kind {
  readonly name: string;
  readonly before: string;
  readonly update: (version: string) => Partial<Update>;
}

const edit = (text: string, from: string, to: string): TextEdit => {
  const start = text.indexOf(from);
  return { range: { start, end: start + from.length }, text: to };
};

const KINDS: readonly Kind[] = [
  {
    name: "digest bump",
    before: `FROM ${REGISTRY}/a:3.12.7@sha256:old\n`,
    update: (v) => ({ action: "bump", tag: "3.12.7", newDigest: `sha256:${v}` }),
  },
  {
    name: "pin",
    before: `FROM ${REGISTRY}/a:3.12.7\n`,
    update: (v) => ({ action: "pin", tag: "3.12.7", currentDigest: null, newDigest: `sha256:${v}` }),
  },
  {
    name: "pinned tag update",
    before: `FROM ${REGISTRY}/a:3.12.7@sha256:old\n`,
    update: (v) => ({ action: "bump", tag: "3.12.7", newTag: `3.12.${v}`, newDigest: `sha256:${v}` }),
  },
  {
    name: "unpinned tag update",
    before: `FROM ${REGISTRY}/a:3.12.7\n`,
    update: (v) => ({ action: "bump", tag: "3.12.7", newTag: `3.12.${v}`, currentDigest: null, newDigest: null }),
  },
];

/** The kind's update to `version` (a digest `sha256:<version>`, a tag `3.12.<version>`), with its edits. */
function planned(kind: Kind, version: string): { updates: Update[]; files: SourceFile[] } {
  const fields = kind.update(version);
  const edits: TextEdit[] = [];
  if (fields.newTag) edits.push(edit(kind.before, ":3.12.7", `:${fields.newTag}`));
  if (fields.newDigest && kind.before.includes("@sha256:old"))
    edits.push(edit(kind.before, "sha256:old", fields.newDigest));
  else if (fields.newDigest) edits.push(edit(kind.before, "\n", `@${fields.newDigest}\n`));
  const u = update("a", fields.action ?? "bump", { image: `${REGISTRY}/a:3.12.7`, ...fields, edits });
  return { updates: [u], files: [{ path: "a/Dockerfile", content: kind.before }] };
}

function decide(kind: Kind, version: string, extra: Partial<ProposalInput> = {}) {
  const { updates, files } = planned(kind, version);
  return decideProposals(proposalInput(updates, files, NOW, extra));
}

describe.each(KINDS)("the lifecycle of a $name", (kind) => {
  const first = decide(kind, "8");
  const pr = first.desired[0]!;
  const closed = closedIgnore(markerFor(pr, "commit"), 7, NOW);

  it("is proposed", () => {
    expect(first.desired.map((d) => d.branch)).toEqual([pr.branch]);
  });

  it("closed unmerged: recorded, that proposal held, a newer one proposed", () => {
    expect(closed).not.toBeNull();
    const again = decide(kind, "8", { ignores: [closed!] });
    expect(again.desired).toEqual([]);
    expect([...again.held.values()]).toEqual([{ kind: "ignored", ignore: "digest" }]);
    expect(decide(kind, "9", { ignores: [closed!] }).desired).toHaveLength(1);
  });

  it("`/repin ignore this digest` can be recorded", () => {
    expect(declinedTarget(markerFor(pr, "commit"))).not.toBeNull();
  });

  it("`/repin ignore this image` holds this and every newer one", () => {
    const image: Ignore = {
      kind: "image",
      image: `${REGISTRY}/a`,
      tag: "3.12.7",
      reason: "command",
      at: NOW.toISOString(),
    };
    for (const version of ["8", "9"]) {
      const held = decide(kind, version, { ignores: [image] });
      expect(held.desired).toEqual([]);
      expect([...held.held.values()]).toEqual([{ kind: "ignored", ignore: "image" }]);
    }
  });

  it("minimumAge holds it until it has been seen that long", () => {
    const young = decide(kind, "8", { minimumAgeMs: 24 * HOUR });
    expect(young.desired).toEqual([]);
    expect([...young.held.values()]).toEqual([{ kind: "held-minimum-age", until: "2024-03-02T00:00:00.000Z" }]);
    expect(young.sightings.size).toBe(1);
    const old = decide(kind, "8", {
      minimumAgeMs: 24 * HOUR,
      firstSeen: new Map([...young.sightings].map(([key]) => [key, NOW.getTime() - 25 * HOUR])),
    });
    expect(old.desired).toHaveLength(1);
  });

  it("outside the schedule it is not opened, unless it fixes advisories", () => {
    const input = { desired: first.desired, open: [], closed: new Map(), updates: planned(kind, "8").updates };
    expect(prActions({ ...input, settings: { prConcurrentLimit: 0, hold: true } })).toEqual([]);
    const urgent = prActions({
      ...input,
      settings: { prConcurrentLimit: 0, hold: true, urgent: new Set([pr.branch]) },
    });
    expect(urgent.map((a) => a.kind)).toEqual(["create"]);
  });
});

describe("a tag update closed unmerged, with the dashboard off (the closed PR's marker is the record)", () => {
  const kind = KINDS.find((k) => k.name === "pinned tag update")!;
  const pr = decide(kind, "8").desired[0]!;
  const closedPr = { number: 7, marker: markerFor(pr, "commit"), body: "", merged: false };
  const actionsFor = (version: string) => {
    const again = decide(kind, version).desired;
    const input = { desired: again, open: [], updates: planned(kind, version).updates };
    return prActions({ ...input, closed: new Map([[pr.branch, [closedPr]]]), settings: { prConcurrentLimit: 0 } });
  };

  it("declines that tag even when it moved to a newer digest since", () => {
    const rebuilt = { ...pr, target: "another-digest-of-3.12.8" };
    const actions = prActions({
      desired: [rebuilt],
      open: [],
      updates: [],
      closed: new Map([[pr.branch, [closedPr]]]),
      settings: { prConcurrentLimit: 0 },
    });
    expect(actions.map((a) => a.kind)).toEqual(["leave"]);
  });

  it("does not decline a newer tag", () => {
    expect(actionsFor("9").map((a) => a.kind)).toEqual(["create"]);
  });
});
