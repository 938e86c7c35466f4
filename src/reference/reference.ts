/**
 * reference.Parse of distribution/reference: no normalization, errors as data.
 * A `Reference` here is the parsed shape; `referenceString` gives it back as text.
 */
import { parseDigest, type DigestErrorName } from "./digest.js";
import { anchoredDigestRegexp, anchoredNameRegexp, anchoredTagRegexp, referenceRegexp } from "./regexp.js";

export type ReferenceErrorName =
  | "ErrReferenceInvalidFormat"
  | "ErrTagInvalidFormat"
  | "ErrDigestInvalidFormat"
  | "ErrNameContainsUppercase"
  | "ErrNameEmpty"
  | "ErrNameTooLong"
  | "ErrNameNotCanonical"
  | DigestErrorName;

export interface ReferenceError {
  readonly name: ReferenceErrorName;
  readonly message: string;
}

export interface Reference {
  /** Registry part as written, "" when the name has none. */
  readonly domain: string;
  readonly path: string;
  /** "" when absent. */
  readonly tag: string;
  /** "" when absent. */
  readonly digest: string;
}

export type ReferenceResult =
  { readonly ok: true; readonly reference: Reference } | { readonly ok: false; readonly error: ReferenceError };

/** Longest repository path distribution accepts (domain excluded). */
export const REPOSITORY_NAME_TOTAL_LENGTH_MAX = 255;

const messages: Record<Exclude<ReferenceErrorName, DigestErrorName>, string> = {
  ErrReferenceInvalidFormat: "invalid reference format",
  ErrTagInvalidFormat: "invalid tag format",
  ErrDigestInvalidFormat: "invalid digest format",
  ErrNameContainsUppercase: "repository name must be lowercase",
  ErrNameEmpty: "repository name must have at least one component",
  ErrNameTooLong: `repository name must not be more than ${REPOSITORY_NAME_TOTAL_LENGTH_MAX} characters`,
  ErrNameNotCanonical: "repository name must be canonical",
};

export function referenceError(name: Exclude<ReferenceErrorName, DigestErrorName>): {
  ok: false;
  error: ReferenceError;
} {
  return { ok: false, error: { name, message: messages[name] } };
}

export function referenceName(ref: Reference): string {
  return ref.domain === "" ? ref.path : `${ref.domain}/${ref.path}`;
}

export function referenceString(ref: Reference): string {
  return referenceName(ref) + (ref.tag ? `:${ref.tag}` : "") + (ref.digest ? `@${ref.digest}` : "");
}

/** reference.Parse: only sha256 digests are accepted, as in Docker. */
export function parseReference(text: string): ReferenceResult {
  const m = referenceRegexp.exec(text);
  if (!m) {
    if (text === "") return referenceError("ErrNameEmpty");
    if (referenceRegexp.test(text.toLowerCase())) return referenceError("ErrNameContainsUppercase");
    return referenceError("ErrReferenceInvalidFormat");
  }
  const name = m[1] ?? "";
  const nameMatch = anchoredNameRegexp.exec(name);
  const domain = nameMatch?.[1] ?? "";
  const path = nameMatch ? (nameMatch[2] ?? "") : name;
  if (path.length > REPOSITORY_NAME_TOTAL_LENGTH_MAX) return referenceError("ErrNameTooLong");
  const digest = m[3] ?? "";
  if (digest !== "") {
    const parsed = parseDigest(digest, ["sha256"]);
    if (!parsed.ok) return { ok: false, error: parsed.error };
  }
  return { ok: true, reference: { domain, path, tag: m[2] ?? "", digest } };
}

/** reference.WithName: a bare repository name, no tag or digest. */
export function withName(name: string): ReferenceResult {
  const m = anchoredNameRegexp.exec(name);
  if (!m) return referenceError("ErrReferenceInvalidFormat");
  const path = m[2] ?? "";
  if (path.length > REPOSITORY_NAME_TOTAL_LENGTH_MAX) return referenceError("ErrNameTooLong");
  return { ok: true, reference: { domain: m[1] ?? "", path, tag: "", digest: "" } };
}

export function withTag(ref: Reference, tag: string): ReferenceResult {
  if (!anchoredTagRegexp.test(tag)) return referenceError("ErrTagInvalidFormat");
  return { ok: true, reference: { ...ref, tag } };
}

export function withDigest(ref: Reference, digest: string): ReferenceResult {
  if (!anchoredDigestRegexp.test(digest)) return referenceError("ErrDigestInvalidFormat");
  return { ok: true, reference: { ...ref, digest } };
}
