/**
 * Image reference names: distribution/reference's grammar (Parse, normalization,
 * familiar names), go-digest validation, and repin's `ImageReference` with the
 * dedupe keys; the one `RepositoryName` and `Platform` of repin. Docker's defaults
 * (Hub and its aliases, `library/`, `latest`) are documented in ./normalize.ts.
 */
export type { ImageReference, Platform, ReferenceParseResult, RepositoryName } from "./types.js";
export { formatPlatform, parsePlatform } from "./platform.js";
export { parseDigest, ALL_DIGEST_ALGORITHMS } from "./digest.js";
export type { Digest, DigestAlgorithm, DigestErrorName, DigestParseResult } from "./digest.js";
export {
  parseReference,
  referenceName,
  referenceString,
  withDigest,
  withName,
  withTag,
  REPOSITORY_NAME_TOTAL_LENGTH_MAX,
} from "./reference.js";
export type { Reference, ReferenceError, ReferenceErrorName, ReferenceResult } from "./reference.js";
export {
  DEFAULT_REGISTRY,
  DEFAULT_TAG,
  familiarName,
  familiarString,
  parseAnyReference,
  parseDockerRef,
  parseImageReference,
  parseNamed,
  parseNormalizedNamed,
  isDockerHub,
  repositoryKey,
  splitDockerName,
  tagKey,
} from "./normalize.js";
