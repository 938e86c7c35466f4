import type { FoundReference, TextEdit } from "../dockerfile/types.js";
import type { FileKind } from "../extractors/types.js";
import type { ImageReference } from "../reference/types.js";
import type { RegistryFailure } from "../registry/errors.js";
import type { Platform, RepositoryName } from "../reference/types.js";
import type { Manifest, TagDigest } from "../registry/types.js";
import type { UpdateTagsPolicy } from "../versioning/types.js";
import type { Reason } from "./reasons.js";

/** What the registry said, or why it could not say it: data, never an exception. */
export type Lookup<T> =
  | { readonly ok: true; readonly value: T }
  /** `failure.kind` "not-found": the registry said it has no such thing (404), as opposed to failing to answer. */
  | { readonly ok: false; readonly failure: RegistryFailure };

/** Everything the I/O phase learned, keyed so that each unique question was asked once. */
export interface Lookups {
  /** By repositoryKey of the resolution name. */
  readonly tagLists: ReadonlyMap<string, Lookup<readonly string[]>>;
  /** By "<repositoryKey>:<tag>". */
  readonly tags: ReadonlyMap<string, Lookup<TagDigest>>;
  /** By manifestKey: the repository and the digest. */
  readonly manifests: ReadonlyMap<string, Lookup<Manifest>>;
}

export interface PlanOptions {
  /** Also pin unpinned references. */
  readonly pin: boolean;
  /** Platforms the repository builds ("linux/amd64"); empty means every platform matters. */
  readonly platforms: readonly string[];
  readonly updateTags: UpdateTagsPolicy;
  /** Where a reference is resolved (registryMap applied). */
  readonly resolutionName: (ref: ImageReference) => RepositoryName;
  /** Config `ignore`: true when the reference must be left alone. */
  readonly isIgnored: (ref: ImageReference) => boolean;
}

export type UpdateAction = "bump" | "pin" | "none" | "skip";

/** One reference and what repin does with it; the CLI's JSON row plus what the App needs. */
export interface Update {
  readonly file: string;
  /** The file's kind (SPEC 2a): every kind is planned, proposed and shown alike. */
  readonly kind: FileKind;
  readonly line: number;
  /** The reference as written after ARG expansion, without digest; null when a whole file was skipped. */
  readonly image: string | null;
  readonly tag: string | null;
  readonly newTag: string | null;
  readonly currentDigest: string | null;
  readonly newDigest: string | null;
  readonly action: UpdateAction;
  /** Why it is skipped or left alone, or what was not done; rendered by `describeReason`. */
  readonly reason: Reason | null;
  /** Where it resolves (registryMap applied), null when the reference did not parse. */
  readonly source: RepositoryName | null;
  /** Details of the new digest for the PR body, when the registry told them. */
  readonly created: string | null;
  readonly platforms: readonly Platform[];
  readonly edits: readonly TextEdit[];
}

export interface SourceFile {
  readonly path: string;
  readonly content: string;
}

/** A file after extraction: its references, or why it was not read. */
export interface ScannedFile extends SourceFile {
  readonly kind: FileKind;
  readonly references: readonly FoundReference[];
  /** Why the file as a whole was not read (code `unread-file`), null when it was. */
  readonly error: Reason | null;
}

export interface FileChange {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

export interface Plan {
  readonly updates: readonly Update[];
  readonly changes: readonly FileChange[];
}
