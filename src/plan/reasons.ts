import type { SkipReason } from "../dockerfile/types.js";
import type { RegistryFailure } from "../registry/errors.js";

/**
 * Why a reference or file is skipped, left alone, or only partly updated: a code from a closed union
 * that callers branch on (exit codes, dashboard states, the App's decisions), and a detail that
 * `describeReason` turns into the one human sentence. Nothing outside this file compares reason prose.
 */
export type ReasonCode =
  /** Extraction could not follow the reference (or read the file); `detail` is its sentence. */
  | SkipReason
  /** The file was not read (too large, binary, not UTF-8) or not parsed; `detail` is the sentence. */
  | "unread-file"
  | "unparsed-reference"
  | "ignored"
  | "no-tag"
  /** `detail`: the tag that was not looked up. */
  | "tag-not-resolved"
  /** The registry failed to resolve the tag; `registry` says how. */
  | "registry-error"
  | "not-pinned"
  | "pin-not-extendable"
  | "digest-not-rewritable"
  /** `detail`: the digest; `registry` (when set) why its manifest could not be read. */
  | "manifest-unreadable"
  | "pin-manifest-unreadable"
  | "pinned-manifest-unreadable"
  /** `detail`: the pinned digest. */
  | "pinned-platform-unknown"
  /** `detail`: the platform the new index lacks. */
  | "platform-missing"
  /** `detail`: the platforms the new index lacks, comma-separated. */
  | "platforms-missing"
  /** `detail`: "<served> image, not <lost platforms>". */
  | "single-platform"
  | "unused-platforms-changed"
  | "shares-text"
  /** A newer tag was not looked for; `registry` says why. */
  | "tag-list-failed"
  /** `detail`: the newer tag. */
  | "tag-not-rewritable";

export interface Reason {
  readonly code: ReasonCode;
  /** The variable part of the sentence (a tag, a digest, platforms), "" when there is none. */
  readonly detail: string;
  /** Set when a registry failure is the cause: keeps `retryable` and the host. */
  readonly registry?: RegistryFailure;
  /** A second, independent reason (why a newer tag was not taken) told after the first. */
  readonly note?: Reason;
}

export const reason = (code: ReasonCode, detail = "", registry?: RegistryFailure): Reason =>
  registry === undefined ? { code, detail } : { code, detail, registry };

const notFetched = (r: Reason): string => r.registry?.message ?? "not fetched";

/** The one place reasons become text: the CLI's output, its JSON `reason`, the dashboard and PR bodies. */
export function describeReason(r: Reason): string {
  const text = sentence(r);
  return r.note === undefined ? text : `${text}; ${describeReason(r.note)}`;
}

function sentence(r: Reason): string {
  switch (r.code) {
    case "unresolved-variable":
    case "variable-not-expanded":
    case "expansion-limit":
    case "invalid-reference":
    case "digest-without-tag":
    case "unsupported-digest":
    case "parse-error":
    case "not-literal":
    case "not-a-string":
    case "limit-exceeded":
    case "unread-file":
      return r.detail;
    case "unparsed-reference":
      return "the reference could not be parsed";
    case "ignored":
      return "ignored by config";
    case "no-tag":
      return "no tag to follow: repin never pins a reference without a tag (add one, e.g. :latest)";
    case "tag-not-resolved":
      return `${r.detail} was not resolved`;
    case "registry-error":
      return notFetched(r);
    case "not-pinned":
      return "not pinned (pass --pin or set pin: true to pin it)";
    case "pin-not-extendable":
      return "cannot pin: the tag is not written in one place repin can extend";
    case "digest-not-rewritable":
      return "the digest is not written in one place repin can rewrite";
    case "manifest-unreadable":
      return `could not read the manifest of ${r.detail}: ${notFetched(r)}`;
    case "pin-manifest-unreadable":
      return `cannot pin: could not read the manifest of ${r.detail}: ${notFetched(r)}`;
    case "pinned-manifest-unreadable":
      return `could not read the pinned manifest ${r.detail}: ${notFetched(r)}`;
    case "pinned-platform-unknown":
      return `the pinned manifest ${r.detail} names no platform to follow`;
    case "platform-missing":
      return `the new index has no ${r.detail} image; held back`;
    case "platforms-missing":
      return `held back: the new index lacks ${r.detail} (still being published?)`;
    case "single-platform":
      return `held back: the tag now serves a single ${r.detail}`;
    case "unused-platforms-changed":
      return "only platforms this file does not build changed";
    case "shares-text":
      return "shares its text (an ARG default or a YAML anchor) with another reference that resolves differently";
    case "tag-list-failed":
      return `tag update skipped: ${notFetched(r)}`;
    case "tag-not-rewritable":
      return `newer tag ${r.detail} exists, but the tag is not written in one place repin can rewrite`;
  }
}
