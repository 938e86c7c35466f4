import type { SourceFile, Update } from "../../src/plan/index.js";
import {
  branchName,
  markerFor,
  noVerdicts,
  type DesiredPr,
  type Marker,
  type OpenPr,
  type ProposalInput,
} from "../../src/proposals/index.js";

// Plain data for the decision tables: images `r.io/<name>:latest`, digests `sha256:<version>`.
export const REGISTRY = "r.io";

export function update(name: string, action: Update["action"], extra: Partial<Update> = {}): Update {
  return {
    file: `${name}/Dockerfile`,
    kind: "dockerfile",
    line: 1,
    image: `${REGISTRY}/${name}:latest`,
    tag: "latest",
    newTag: null,
    currentDigest: "sha256:old",
    newDigest: action === "bump" ? "sha256:new" : null,
    action,
    reason: null,
    source: { registry: REGISTRY, repository: name },
    created: null,
    platforms: [],
    edits: [],
    ...extra,
  };
}

/** The PR repin wants for `name` at digest `version`. */
export function desired(name: string, version = "v2"): DesiredPr {
  const key = `${REGISTRY}/${name}:latest`;
  return {
    key,
    branch: branchName(key),
    title: `Bump ${name}:latest digest to ${version}`,
    image: `${REGISTRY}/${name}`,
    tag: "latest",
    newTag: null,
    digest: `sha256:${version}`,
    updates: [],
    changes: [],
    target: `target-${name}-${version}`,
    content: `content-${name}-${version}`,
  };
}

export const branchOf = (name: string): string => branchName(`${REGISTRY}/${name}:latest`);

export function marker(pr: DesiredPr, extra: Partial<Marker> = {}): Marker {
  return { ...markerFor(pr, `commit-${pr.content}`), ...extra };
}

/** An open repin PR as repin left it for `pr` (head = the marker's commit), with `extra` on top. */
export function openPr(number: number, pr: DesiredPr, extra: Partial<OpenPr> = {}): OpenPr {
  const m = extra.marker ?? marker(pr);
  return { number, branch: pr.branch, headSha: m.commit, marker: m, body: "body", ...extra };
}

/** What decideProposals is given when nothing holds anything back: every proposal in `updates` is made. */
export function proposalInput(
  updates: readonly Update[],
  files: readonly SourceFile[],
  now: Date,
  extra: Partial<ProposalInput> = {},
): ProposalInput {
  return {
    planned: updates,
    updates,
    files,
    headSha: "head",
    configText: "",
    group: "image",
    minimumAgeMs: null,
    ignores: [],
    firstSeen: new Map(),
    now,
    inSchedule: true,
    verdicts: noVerdicts,
    waiting: new Map(),
    ...extra,
  };
}
