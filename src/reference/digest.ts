/**
 * Digest validation as in opencontainers/go-digest `Digest.Validate`.
 * Callers choose which algorithms are registered: Docker references accept
 * only sha256, go-digest's own defaults are sha256, sha384 and sha512.
 */
export type DigestAlgorithm = "sha256" | "sha384" | "sha512";

export type DigestErrorName =
  "digest.ErrDigestInvalidFormat" | "digest.ErrDigestInvalidLength" | "digest.ErrDigestUnsupported";

export interface Digest {
  readonly algorithm: DigestAlgorithm;
  readonly encoded: string;
}

export type DigestParseResult =
  | { readonly ok: true; readonly digest: Digest }
  | { readonly ok: false; readonly error: { readonly name: DigestErrorName; readonly message: string } };

const hexLength: Record<DigestAlgorithm, number> = { sha256: 64, sha384: 96, sha512: 128 };
const anyDigest = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export const ALL_DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ["sha256", "sha384", "sha512"];

const messages: Record<DigestErrorName, string> = {
  "digest.ErrDigestInvalidFormat": "invalid checksum digest format",
  "digest.ErrDigestInvalidLength": "invalid checksum digest length",
  "digest.ErrDigestUnsupported": "unsupported digest algorithm",
};

function fail(name: DigestErrorName): DigestParseResult {
  return { ok: false, error: { name, message: messages[name] } };
}

export function parseDigest(
  text: string,
  algorithms: readonly DigestAlgorithm[] = ALL_DIGEST_ALGORITHMS,
): DigestParseResult {
  const i = text.indexOf(":");
  if (i <= 0 || i + 1 === text.length) return fail("digest.ErrDigestInvalidFormat");
  const algorithm = text.slice(0, i);
  const encoded = text.slice(i + 1);
  if (!(algorithms as readonly string[]).includes(algorithm)) {
    return fail(anyDigest.test(text) ? "digest.ErrDigestUnsupported" : "digest.ErrDigestInvalidFormat");
  }
  const known = algorithm as DigestAlgorithm;
  if (encoded.length !== hexLength[known]) return fail("digest.ErrDigestInvalidLength");
  if (!/^[a-f0-9]+$/.test(encoded)) return fail("digest.ErrDigestInvalidFormat");
  return { ok: true, digest: { algorithm: known, encoded } };
}
