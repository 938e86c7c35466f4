import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";

/** Where to push: a TestRegistry, or the same shape for a proxy in front of one. */
export interface PushTarget {
  readonly url: string;
  pushAuthorization?(repository: string): string | undefined;
}

export interface TestPlatform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export type ManifestFormat = "oci" | "docker";

export interface ImageSpec {
  /** Default linux/amd64. */
  readonly platform?: TestPlatform;
  /** Layer blobs (tar.gz); default one empty tar layer. */
  readonly layers?: readonly Buffer[];
  /** Config `created`; default 2024-01-01T00:00:00Z. Change it to make a new digest. */
  readonly created?: string;
  /** Merged into the config JSON. */
  readonly configExtra?: Record<string, unknown>;
  /** Default "oci". */
  readonly format?: ManifestFormat;
}

export interface PushedImage {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  readonly configDigest: string;
  readonly platform: TestPlatform;
}

export interface PushedIndex {
  readonly digest: string;
  readonly mediaType: string;
  readonly children: readonly PushedImage[];
}

const types = {
  oci: {
    index: "application/vnd.oci.image.index.v1+json",
    manifest: "application/vnd.oci.image.manifest.v1+json",
    config: "application/vnd.oci.image.config.v1+json",
    layer: "application/vnd.oci.image.layer.v1.tar+gzip",
  },
  docker: {
    index: "application/vnd.docker.distribution.manifest.list.v2+json",
    manifest: "application/vnd.docker.distribution.manifest.v2+json",
    config: "application/vnd.docker.container.image.v1+json",
    layer: "application/vnd.docker.image.rootfs.diff.tar.gzip",
  },
} as const;

export function sha256(data: Uint8Array): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** An empty tar archive, gzipped: the smallest valid layer. */
export const emptyLayer: Buffer = gzipSync(Buffer.alloc(1024));

async function call(
  target: PushTarget,
  repository: string,
  method: string,
  pathOrUrl: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<Response> {
  const authorization = target.pushAuthorization?.(repository);
  const url = new URL(pathOrUrl, target.url);
  const response = await fetch(url, {
    method,
    body,
    headers: { ...headers, ...(authorization ? { authorization } : {}) },
  });
  if (response.status >= 300)
    throw new Error(`${method} ${url.pathname} → ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return response;
}

/** Monolithic upload: POST to open the upload, PUT the bytes with the digest. */
export async function pushBlob(target: PushTarget, repository: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const opened = await call(target, repository, "POST", `/v2/${repository}/blobs/uploads/`);
  await opened.arrayBuffer();
  const location = new URL(opened.headers.get("location") ?? "", target.url);
  location.searchParams.set("digest", digest);
  const done = await call(target, repository, "PUT", location.href, data, {
    "content-type": "application/octet-stream",
  });
  await done.arrayBuffer();
  return digest;
}

/** PUT a manifest under a tag or its digest; returns the digest of the bytes. */
export async function pushManifest(
  target: PushTarget,
  repository: string,
  reference: string | null,
  body: Buffer,
  mediaType: string,
): Promise<string> {
  const digest = sha256(body);
  const response = await call(target, repository, "PUT", `/v2/${repository}/manifests/${reference ?? digest}`, body, {
    "content-type": mediaType,
  });
  await response.arrayBuffer();
  return digest;
}

export function pushManifestByDigest(
  target: PushTarget,
  repository: string,
  body: Buffer,
  mediaType: string,
): Promise<string> {
  return pushManifest(target, repository, null, body, mediaType);
}

/** Pushes layers, config and manifest; with `tag` null the manifest is stored by digest only. */
export async function pushImage(
  target: PushTarget,
  repository: string,
  tag: string | null,
  spec: ImageSpec = {},
): Promise<PushedImage> {
  const format = spec.format ?? "oci";
  const platform = spec.platform ?? { os: "linux", architecture: "amd64" };
  const layers = spec.layers ?? [emptyLayer];
  const config = Buffer.from(
    JSON.stringify({
      created: spec.created ?? "2024-01-01T00:00:00Z",
      ...platform,
      config: {},
      rootfs: { type: "layers", diff_ids: layers.map((layer) => sha256(gunzipSync(layer))) },
      ...spec.configExtra,
    }),
  );
  const configDigest = await pushBlob(target, repository, config);
  const layerDescriptors = [];
  for (const layer of layers) {
    layerDescriptors.push({
      mediaType: types[format].layer,
      digest: await pushBlob(target, repository, layer),
      size: layer.length,
    });
  }
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: types[format].manifest,
      config: { mediaType: types[format].config, digest: configDigest, size: config.length },
      layers: layerDescriptors,
    }),
  );
  const digest = await pushManifest(target, repository, tag, manifest, types[format].manifest);
  return { digest, mediaType: types[format].manifest, size: manifest.length, configDigest, platform };
}

/** Pushes each child by digest, then an index (OCI) or manifest list (Docker) under `tag`. */
export async function pushIndex(
  target: PushTarget,
  repository: string,
  tag: string | null,
  children: readonly ImageSpec[],
  options: { format?: ManifestFormat; annotations?: Record<string, string> } = {},
): Promise<PushedIndex> {
  const format = options.format ?? "oci";
  const pushed: PushedImage[] = [];
  for (const child of children) pushed.push(await pushImage(target, repository, null, { format, ...child }));
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: types[format].index,
      manifests: pushed.map((child) => ({
        mediaType: child.mediaType,
        digest: child.digest,
        size: child.size,
        platform: child.platform,
      })),
      ...(options.annotations ? { annotations: options.annotations } : {}),
    }),
  );
  const digest = await pushManifest(target, repository, tag, index, types[format].index);
  return { digest, mediaType: types[format].index, children: pushed };
}
