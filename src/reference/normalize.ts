/**
 * Docker's defaults, in one place (after distribution/reference normalize.go
 * and go-containerregistry pkg/name/doc.go):
 *
 * - A name whose first path part contains "." or ":", equals "localhost", or
 *   has an uppercase letter names its registry host there ("cgr.dev/x",
 *   "localhost:5000/x", "MyHost/x"). Otherwise the registry is Docker Hub.
 * - Docker Hub is spelled "docker.io"; "index.docker.io" and
 *   "registry-1.docker.io" are the same registry and normalize to it.
 * - On Docker Hub a one-part name is an official image under "library/":
 *   "python" → "docker.io/library/python".
 * - The repository path must be lowercase; the tag may not be.
 * - A missing tag means "latest" when resolving (parseDockerRef), but repin
 *   never writes a tag into a file: `ImageReference.tag` stays null.
 * - Digests in references must be sha256.
 * - A bare 64-hex string is an image ID, never a repository name.
 */
import { parseDigest } from "./digest.js";
import {
  parseReference,
  referenceError,
  referenceString,
  withDigest,
  withName,
  type Reference,
  type ReferenceResult,
} from "./reference.js";
import { anchoredIdentifierRegexp } from "./regexp.js";
import type { ImageReference, ReferenceParseResult, RepositoryName } from "./types.js";

export const DEFAULT_REGISTRY = "docker.io";
export const DEFAULT_TAG = "latest";
const OFFICIAL_REPO_PREFIX = "library/";
/** Other names of Docker Hub: the one list of them (the registry client's API host is the last). */
const DOCKER_HUB_ALIASES: readonly string[] = ["index.docker.io", "registry-1.docker.io"];

/** Whether a registry host is Docker Hub under any of its names. */
export function isDockerHub(registry: string): boolean {
  const host = registry.toLowerCase();
  return host === DEFAULT_REGISTRY || DOCKER_HUB_ALIASES.includes(host);
}
/** distribution/reference only knows this alias; repin also folds registry-1.docker.io. */
const LEGACY_DEFAULT_DOMAIN = "index.docker.io";

function isRegistryHost(firstPart: string): boolean {
  return /[.:]/.test(firstPart) || firstPart === "localhost" || firstPart.toLowerCase() !== firstPart;
}

function splitDockerDomain(name: string, aliases: readonly string[]): { domain: string; remainder: string } {
  const i = name.indexOf("/");
  let domain = DEFAULT_REGISTRY;
  let remainder = name;
  if (i !== -1 && isRegistryHost(name.slice(0, i))) {
    domain = name.slice(0, i);
    remainder = name.slice(i + 1);
  }
  if (aliases.includes(domain)) domain = DEFAULT_REGISTRY;
  if (domain === DEFAULT_REGISTRY && !remainder.includes("/")) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return { domain, remainder };
}

/**
 * The registry and repository a Docker name means, with Hub's aliases folded and `library/` added:
 * `python` → docker.io + library/python, `index.docker.io/x/y` → docker.io + x/y. No validation.
 */
export function splitDockerName(name: string): RepositoryName {
  const { domain, remainder } = splitDockerDomain(name, DOCKER_HUB_ALIASES);
  return { registry: domain, repository: remainder };
}

function normalizeNamed(text: string, aliases: readonly string[]): ReferenceResult {
  if (anchoredIdentifierRegexp.test(text)) {
    return {
      ok: false,
      error: {
        name: "ErrReferenceInvalidFormat",
        message: `invalid repository name (${text}), cannot specify 64-byte hexadecimal strings`,
      },
    };
  }
  const { domain, remainder } = splitDockerDomain(text, aliases);
  const colon = remainder.indexOf(":");
  const remote = colon === -1 ? remainder : remainder.slice(0, colon);
  if (remote.toLowerCase() !== remote) return referenceError("ErrNameContainsUppercase");
  return parseReference(`${domain}/${remainder}`);
}

/** reference.ParseNormalizedNamed: Docker's short names made full. */
export function parseNormalizedNamed(text: string): ReferenceResult {
  return normalizeNamed(text, [LEGACY_DEFAULT_DOMAIN]);
}

/** reference.ParseNamed: accepts only names already in canonical form. */
export function parseNamed(text: string): ReferenceResult {
  const r = parseNormalizedNamed(text);
  if (!r.ok) return r;
  return referenceString(r.reference) === text ? r : referenceError("ErrNameNotCanonical");
}

/** The short form Docker prints: "docker.io/library/python" → "python". */
export function familiarName(ref: Reference): string {
  if (ref.domain !== DEFAULT_REGISTRY) return ref.domain === "" ? ref.path : `${ref.domain}/${ref.path}`;
  const rest = ref.path.startsWith(OFFICIAL_REPO_PREFIX) ? ref.path.slice(OFFICIAL_REPO_PREFIX.length) : null;
  return rest !== null && !rest.includes("/") ? rest : ref.path;
}

export function familiarString(ref: Reference): string {
  return familiarName(ref) + (ref.tag ? `:${ref.tag}` : "") + (ref.digest ? `@${ref.digest}` : "");
}

export type AnyReference =
  | { readonly kind: "digestReference"; readonly digest: string }
  | { readonly kind: "named"; readonly reference: Reference };

/** reference.ParseAnyReference: an image ID or digest alone, else a normalized name. */
export function parseAnyReference(
  text: string,
): { ok: true; value: AnyReference } | { ok: false; error: { name: string; message: string } } {
  if (anchoredIdentifierRegexp.test(text))
    return { ok: true, value: { kind: "digestReference", digest: `sha256:${text}` } };
  const d = parseDigest(text);
  if (d.ok) return { ok: true, value: { kind: "digestReference", digest: text } };
  const r = parseNormalizedNamed(text);
  return r.ok ? { ok: true, value: { kind: "named", reference: r.reference } } : r;
}

/** reference.ParseDockerRef: adds "latest" when there is no tag, drops the tag when there is a digest. */
export function parseDockerRef(text: string): ReferenceResult {
  const r = parseNormalizedNamed(text);
  if (!r.ok) return r;
  const ref = r.reference;
  if (ref.digest) {
    const named = withName(`${ref.domain}/${ref.path}`);
    return named.ok ? withDigest(named.reference, ref.digest) : named;
  }
  return { ok: true, reference: { ...ref, tag: ref.tag || DEFAULT_TAG } };
}

/** repin's entry point: the reference as written beside its normalized registry and repository. */
export function parseImageReference(written: string): ReferenceParseResult {
  const r = normalizeNamed(written, DOCKER_HUB_ALIASES);
  if (!r.ok) return { ok: false, reason: `${r.error.message}: ${JSON.stringify(written)}` };
  const { domain, path, tag, digest } = r.reference;
  const at = written.indexOf("@");
  const beforeDigest = at === -1 ? written : written.slice(0, at);
  const name = tag ? beforeDigest.slice(0, beforeDigest.length - tag.length - 1) : beforeDigest;
  const ref: ImageReference = {
    written,
    name,
    registry: domain,
    repository: path,
    tag: tag || null,
    digest: digest || null,
  };
  return { ok: true, ref };
}

/** Dedupe key of a repository: "docker.io/library/python". */
export function repositoryKey(name: RepositoryName): string {
  return `${name.registry}/${name.repository}`;
}

/** Dedupe key of a tracked tag: "docker.io/library/python:3.12". */
export function tagKey(name: RepositoryName, tag: string): string {
  return `${repositoryKey(name)}:${tag}`;
}
