/**
 * Support for the tests of the workflow, Helm, Kustomize, dev container and `# syntax=` kinds:
 * real-world fixtures with their SOURCES.md, and a plan over a registry whose answers are given.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import {
  manifestKey,
  planUpdates,
  scanFiles,
  tagKey,
  type Lookup,
  type Lookups,
  type Plan,
  type PlanOptions,
  type SourceFile,
} from "../../src/plan/index.js";
import { splitDockerName } from "../../src/reference/index.js";
import type { Manifest } from "../../src/registry/types.js";
import { amd64Image, planOptions } from "./lookups.js";

/** The fixtures of a kind's folder (`new URL("./", import.meta.url)`), by file name, with their text. */
export function fixtures(folder: URL): Map<string, string> {
  const dir = fileURLToPath(new URL("./fixtures/", folder));
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(`${dir}${name}`, "utf8")]));
}

/** Every fixture is named in SOURCES.md with a repository and a 40-hex commit, and nothing else is. */
export function expectSourcesFor(folder: URL): void {
  const table = readFileSync(fileURLToPath(new URL("./SOURCES.md", folder)), "utf8");
  const rows = [...table.matchAll(/^\| `fixtures\/([^`]+)` \| ([\w.-]+\/[\w.-]+) \| `[^`]+` \| ([0-9a-f]{40}) \|$/gm)];
  expect(rows.map((row) => row[1]).sort()).toEqual([...fixtures(folder).keys()].sort());
}

const ok = <T>(value: T): Lookup<T> => ({ ok: true, value });

/** What the registry says: each `name:tag` points to a digest; every digest named here (and `known`) is readable. */
export interface Answers {
  readonly tags: Readonly<Record<string, string>>;
  readonly tagLists?: Readonly<Record<string, readonly string[]>>;
  readonly known?: readonly string[];
}

export function lookupsOf(answers: Answers): Lookups {
  const tags = new Map<string, Lookup<{ digest: string; mediaType: string }>>();
  const manifests = new Map<string, Lookup<Manifest>>();
  const tagLists = new Map<string, Lookup<readonly string[]>>();
  for (const [reference, digest] of Object.entries(answers.tags)) {
    const colon = reference.lastIndexOf(":");
    const name = splitDockerName(reference.slice(0, colon));
    tags.set(tagKey(name, reference.slice(colon + 1)), ok({ digest, mediaType: amd64Image(digest).mediaType }));
    for (const d of [digest, ...(answers.known ?? [])]) manifests.set(manifestKey(name, d), ok(amd64Image(d)));
  }
  for (const [repository, list] of Object.entries(answers.tagLists ?? {})) {
    const name = splitDockerName(repository);
    tagLists.set(`${name.registry}/${name.repository}`, ok(list));
  }
  return { tags, manifests, tagLists };
}

/** Scans the files together (so a Chart.yaml is beside its values) and plans them. */
export function plan(files: readonly SourceFile[], answers: Answers, overrides: Partial<PlanOptions> = {}): Plan {
  return planUpdates(scanFiles(files), lookupsOf(answers), planOptions(overrides));
}

/** The text after the plan's change to `path` (the text itself when nothing changed). */
export function after(result: Plan, path: string, before: string): string {
  return result.changes.find((change) => change.path === path)?.after ?? before;
}

export const digest = (c: string): string => `sha256:${c.repeat(64)}`;
