import { createHash } from "node:crypto";
import type { IndexChild, Manifest, Platform } from "./types.js";

export const mediaTypes = {
  ociIndex: "application/vnd.oci.image.index.v1+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
  dockerConfig: "application/vnd.docker.container.image.v1+json",
} as const;

/** Sent on every manifest request; without the OCI index type a registry may answer 404 for an index. */
export const manifestAccept = [
  mediaTypes.ociIndex,
  mediaTypes.dockerList,
  mediaTypes.ociManifest,
  mediaTypes.dockerManifest,
].join(", ");

const digestPattern = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export function isDigest(value: string): boolean {
  return digestPattern.test(value);
}

/** The digest of `body` with the algorithm of `like` (sha256 by default). */
export function digestOf(body: Uint8Array, like = "sha256:"): string {
  const algorithm = like.startsWith("sha512:") ? "sha512" : "sha256";
  return `${algorithm}:${createHash(algorithm).update(body).digest("hex")}`;
}

export type ParsedManifest =
  | { readonly ok: true; readonly manifest: Manifest; readonly configMediaType: string | null }
  | { readonly ok: false; readonly reason: string };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** Reads an index/manifest list or an image manifest; image platform and created are filled later from the config. */
export function parseManifest(body: Uint8Array, digest: string, contentType: string | null): ParsedManifest {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString("utf8"));
  } catch {
    return { ok: false, reason: "manifest is not JSON" };
  }
  if (!isObject(json)) return { ok: false, reason: "manifest is not a JSON object" };
  const mediaType = str(json.mediaType) ?? contentType?.split(";")[0]?.trim() ?? "";
  if (Array.isArray(json.manifests)) {
    const children: IndexChild[] = [];
    for (const entry of json.manifests) {
      if (!isObject(entry) || !isDigest(str(entry.digest) ?? ""))
        return { ok: false, reason: "index entry without a valid digest" };
      children.push({
        digest: entry.digest as string,
        mediaType: str(entry.mediaType) ?? "",
        platform: platformOf(entry.platform),
      });
    }
    const annotations = isObject(json.annotations) ? json.annotations : {};
    const created = str(annotations["org.opencontainers.image.created"]);
    return {
      ok: true,
      manifest: { kind: "index", digest, mediaType: mediaType || mediaTypes.ociIndex, children, created },
      configMediaType: null,
    };
  }
  if (isObject(json.config) && Array.isArray(json.layers)) {
    const configDigest = str(json.config.digest) ?? "";
    if (!isDigest(configDigest)) return { ok: false, reason: "manifest config without a valid digest" };
    const layers = json.layers.filter(isObject).map((l) => ({
      digest: str(l.digest) ?? "",
      mediaType: str(l.mediaType) ?? "",
      size: typeof l.size === "number" ? l.size : 0,
    }));
    return {
      ok: true,
      manifest: {
        kind: "image",
        digest,
        mediaType: mediaType || mediaTypes.ociManifest,
        configDigest,
        layers,
        platform: null,
        created: null,
      },
      configMediaType: str(json.config.mediaType),
    };
  }
  return { ok: false, reason: `unsupported manifest${mediaType ? ` type ${mediaType}` : ""}` };
}

function platformOf(value: unknown): Platform | null {
  if (!isObject(value)) return null;
  const os = str(value.os);
  const architecture = str(value.architecture);
  if (!os || !architecture) return null;
  const variant = str(value.variant);
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** Only image configs carry a platform; artifacts' configs (e.g. the empty config) do not. */
export function isImageConfigType(mediaType: string): boolean {
  return mediaType === mediaTypes.ociConfig || mediaType === mediaTypes.dockerConfig;
}

/** Platform and creation time from an image config blob. */
export function parseImageConfig(body: Uint8Array): { platform: Platform | null; created: string | null } {
  try {
    const json = JSON.parse(Buffer.from(body).toString("utf8")) as unknown;
    if (!isObject(json)) return { platform: null, created: null };
    return { platform: platformOf(json), created: str(json.created) };
  } catch {
    return { platform: null, created: null };
  }
}
