import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import tar from "tar-stream";
import { pushBlob, pushManifest, sha256, type PushTarget, type TestPlatform } from "../support/registry/index.js";

/** Builds image layers with real-format package databases, and serves feeds, for the explain tests. */

export type Entry = { name: string; body?: string | Buffer; type?: "file" | "directory" };

export async function tarball(entries: readonly Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    if ((e.type ?? "file") === "file") pack.entry({ name: e.name }, e.body ?? "");
    else pack.entry({ name: e.name, type: "directory" });
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export const layer = async (entries: readonly Entry[]): Promise<Buffer> => zlib.gzipSync(await tarball(entries));

/** Incompressible filler, like the binaries that make up most of an image. */
export const filler = (name: string, bytes: number): Entry => ({ name, body: randomBytes(bytes) });

export type Pkg = readonly [name: string, version: string, origin?: string];

/** `lib/apk/db/installed` as apk writes it (modelled on shared/pkgdb/apk/alpine-scalibr.installed). */
export function apkInstalled(packages: readonly Pkg[]): string {
  return (
    packages
      .map(([name, version, origin]) =>
        [
          `C:Q1${sha256(Buffer.from(name + version)).slice(7, 34)}=`,
          `P:${name}`,
          `V:${version}`,
          "A:x86_64",
          "S:1000",
          "I:4000",
          `T:${name} package`,
          "L:MIT",
          `o:${origin ?? name}`,
          "m:Test <test@example.org>",
          "t:1700000000",
          "",
        ].join("\n"),
      )
      .join("\n") + "\n"
  );
}

export const apkDbLayer = (packages: readonly Pkg[]): Promise<Buffer> =>
  layer([
    { name: "lib/", type: "directory" },
    { name: "lib/apk/", type: "directory" },
    { name: "lib/apk/db/", type: "directory" },
    { name: "lib/apk/db/installed", body: apkInstalled(packages) },
  ]);

export const wolfiBase: readonly Pkg[] = [
  ["wolfi-baselayout", "20230201-r15"],
  ["glibc", "2.40-r3"],
  ["ca-certificates-bundle", "20241010-r0"],
];

/**
 * Pushes layers as they are (any bytes: plain tar, cut gzip) with a config and manifest; the
 * harness's pushImage gunzips every layer, which a broken layer would not survive.
 */
export async function pushRawImage(
  target: PushTarget,
  repository: string,
  tag: string | null,
  layers: readonly Buffer[],
  platform: TestPlatform = { os: "linux", architecture: "amd64" },
): Promise<{ digest: string; size: number; platform: TestPlatform }> {
  const config = Buffer.from(
    JSON.stringify({
      created: new Date().toISOString(),
      ...platform,
      config: {},
      rootfs: { type: "layers", diff_ids: layers.map((l) => sha256(l)) },
    }),
  );
  const configDigest = await pushBlob(target, repository, config);
  const descriptors = [];
  for (const l of layers)
    descriptors.push({
      mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
      digest: await pushBlob(target, repository, l),
      size: l.length,
    });
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: configDigest, size: config.length },
      layers: descriptors,
    }),
  );
  const digest = await pushManifest(target, repository, tag, manifest, "application/vnd.oci.image.manifest.v1+json");
  return { digest, size: manifest.length, platform };
}

export async function pushRawIndex(
  target: PushTarget,
  repository: string,
  tag: string | null,
  children: readonly { digest: string; size: number; platform: TestPlatform }[],
): Promise<string> {
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: children.map((c) => ({
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        digest: c.digest,
        size: c.size,
        platform: c.platform,
      })),
    }),
  );
  return pushManifest(target, repository, tag, index, "application/vnd.oci.image.index.v1+json");
}

export interface FeedServer {
  readonly url: string;
  /** Replace what a path serves; the ETag changes with the body. */
  set(path: string, body: string): void;
  /** [path, status] per request, in order. */
  requests(): [string, number][];
  stop(): Promise<void>;
}

/** A loopback feed host with ETag revalidation, like packages.wolfi.dev. */
export async function startFeedServer(): Promise<FeedServer> {
  const bodies = new Map<string, string>();
  const seen: [string, number][] = [];
  const server: Server = createServer((req, res) => {
    const body = bodies.get(req.url ?? "");
    const reply = (status: number, headers: Record<string, string> = {}, text = "") => {
      seen.push([req.url ?? "", status]);
      res.writeHead(status, headers);
      res.end(text);
    };
    if (body === undefined) return reply(404);
    const etag = `"${sha256(Buffer.from(body)).slice(7, 23)}"`;
    if (req.headers["if-none-match"] === etag) return reply(304, { etag });
    reply(200, { "content-type": "application/json", etag }, body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set: (path, body) => void bodies.set(path, body),
    requests: () => [...seen],
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const secdb = (packages: Record<string, Record<string, string[]>>): string =>
  JSON.stringify({
    apkurl: "{{urlprefix}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk",
    archs: ["x86_64"],
    reponame: "os",
    urlprefix: "https://packages.wolfi.dev",
    packages: Object.entries(packages).map(([name, secfixes]) => ({ pkg: { name, secfixes } })),
  });
