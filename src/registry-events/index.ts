/**
 * Upstream push notices as data (SPEC 11): CNCF Distribution notification envelopes (v1 and v2,
 * as docker-registry, distribution 3 and Harbor send them) and GitHub's `registry_package`
 * webhooks become tag hints. A hint is never trusted: the watcher re-resolves the tag before
 * acting. Pure: no I/O here; the App's endpoint and webhook handler feed these functions.
 */
export type { TagHint, HintSink } from "./hint.js";
export { parseEnvelope, MAX_ENVELOPE_BYTES, type EnvelopeResult } from "./envelope.js";
export { packageHint, type PackageEvent } from "./github-packages.js";
