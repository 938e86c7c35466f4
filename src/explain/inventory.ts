import { Readable } from "node:stream";
import {
  readPackageDatabase,
  type Inventory,
  type InventoryCache,
  type LayerCache,
  type LayerSource,
} from "../inventory/index.js";
import { childFor, isRunnablePlatform } from "../plan/platform.js";
import { formatPlatform, parsePlatform } from "../reference/index.js";
import {
  describeRegistryError,
  isRegistryError,
  type Manifest,
  type Registry,
  type RepositoryName,
} from "../registry/index.js";

export interface InventoryOptions {
  /** The platform the repository builds, "os/arch[/variant]"; default linux/amd64. */
  readonly platform?: string;
  readonly cache: InventoryCache;
  /** Most layer bytes (as stored) read for one image. */
  readonly maxBytes: number;
  /** Layers by digest, so a layer two images share is downloaded once. */
  readonly layers?: LayerCache;
}

export interface ImageInventory extends Inventory {
  /** The platform whose image was read; null when a single image does not say. */
  readonly platform: string | null;
  /** The image manifest the packages come from (the index child for an index). */
  readonly imageDigest: string;
}

/** Why no inventory: a fixed set for callers, with a sentence for people. */
export type InventoryFailure =
  "registry" | "no-platform" | "too-large" | "digest-mismatch" | "bad-layer" | "no-blob-support";

export type InventoryResult =
  | { readonly ok: true; readonly inventory: ImageInventory; readonly bytesRead: number; readonly fromCache: boolean }
  | { readonly ok: false; readonly failure: InventoryFailure; readonly reason: string; readonly bytesRead: number };

const defaultPlatform = "linux/amd64";

// An index digest + platform points at its child's digest, stored in the same cache as a
// one-package record, so a cached index costs no manifest request either.
const pointerKey = (indexDigest: string, platform: string): string => `index:${indexDigest}:${platform}`;
const pointerTo = (imageDigest: string): Inventory => ({
  kind: "none",
  packages: [{ name: "@image", version: imageDigest }],
});
const pointerTarget = (entry: Inventory | undefined): string | undefined =>
  entry?.packages.length === 1 && entry.packages[0]?.name === "@image" ? entry.packages[0].version : undefined;

/**
 * The OS packages of `digest` for one platform: the image manifest (the index child for the
 * platform, else the index's first runnable one), its layers streamed in order through the
 * package database reader. Inventories are cached by image digest (content never changes);
 * registry and layer problems come back as a reason, never thrown.
 */
export async function inventoryFor(
  registry: Registry,
  repo: RepositoryName,
  digest: string,
  options: InventoryOptions,
): Promise<InventoryResult> {
  const wanted = options.platform ?? defaultPlatform;
  const cached = await fromCache(options.cache, digest, wanted);
  if (cached) return { ok: true, inventory: cached, bytesRead: 0, fromCache: true };
  let image: Extract<Manifest, { kind: "image" }>;
  let platform: string | null;
  try {
    const top = await registry.getManifest(repo, digest);
    if (top.kind === "index") {
      const requested = parsePlatform(wanted);
      const child =
        (requested ? childFor(top.children, requested) : undefined) ??
        top.children.find((c) => isRunnablePlatform(c.platform));
      if (!child?.platform)
        return fail("no-platform", `the index ${short(digest)} has no image for ${wanted} nor any runnable platform`);
      platform = formatPlatform(child.platform);
      const hit = await options.cache.get(child.digest);
      if (hit) {
        await options.cache.set(pointerKey(digest, wanted), pointerTo(child.digest));
        return { ok: true, inventory: { ...hit, platform, imageDigest: child.digest }, bytesRead: 0, fromCache: true };
      }
      const childManifest = await registry.getManifest(repo, child.digest);
      if (childManifest.kind !== "image")
        return fail("registry", `the index ${short(digest)} points at another index for ${platform}`);
      image = childManifest;
    } else {
      image = top;
      platform = top.platform ? formatPlatform(top.platform) : null;
    }
  } catch (error) {
    return fail("registry", describeRegistryError(error));
  }
  const read = await readLayers(registry, repo, image, options);
  if (!read.ok) return read;
  const inventory: Inventory = { kind: read.kind, packages: read.packages };
  await options.cache.set(image.digest, inventory);
  if (image.digest !== digest) await options.cache.set(pointerKey(digest, wanted), pointerTo(image.digest));
  return {
    ok: true,
    inventory: { ...inventory, platform, imageDigest: image.digest },
    bytesRead: read.bytesRead,
    fromCache: false,
  };
}

/** The inventory of `digest` for `platform` only if the cache has it: never asks the registry. */
export function cachedInventory(
  cache: InventoryCache,
  digest: string,
  platform = defaultPlatform,
): Promise<ImageInventory | undefined> {
  return fromCache(cache, digest, platform);
}

async function fromCache(cache: InventoryCache, digest: string, platform: string): Promise<ImageInventory | undefined> {
  const direct = await cache.get(digest);
  if (direct && pointerTarget(direct) === undefined) return { ...direct, platform: null, imageDigest: digest };
  const child = pointerTarget(await cache.get(pointerKey(digest, platform)));
  const viaIndex = child ? await cache.get(child) : undefined;
  return child && viaIndex ? { ...viaIndex, platform, imageDigest: child } : undefined;
}

type LayersResult =
  | { ok: true; kind: Inventory["kind"]; packages: Inventory["packages"]; bytesRead: number }
  | Extract<InventoryResult, { ok: false }>;

async function readLayers(
  registry: Registry,
  repo: RepositoryName,
  image: Extract<Manifest, { kind: "image" }>,
  options: Pick<InventoryOptions, "maxBytes" | "layers">,
): Promise<LayersResult> {
  const { maxBytes } = options;
  if (!registry.openBlob) return fail("no-blob-support", "this registry client cannot stream layers");
  const declared = image.layers.reduce((sum, layer) => sum + layer.size, 0);
  if (declared > maxBytes)
    return fail("too-large", `the image's layers are ${declared} bytes, over the ${maxBytes}-byte limit`);
  const openBlob = registry.openBlob.bind(registry);
  // The layer reader turns stream errors into its own reasons; keep the registry's error to tell a lying blob apart.
  let registryError: unknown = null;
  const layers: LayerSource[] = image.layers.map((layer) => ({
    digest: layer.digest,
    mediaType: layer.mediaType,
    stream: async () => {
      try {
        return Readable.from(watched(await openBlob(repo, layer.digest, { maxBytes }), (e) => (registryError = e)));
      } catch (error) {
        registryError = error;
        throw error;
      }
    },
  }));
  const result = await readPackageDatabase(layers, { maxBytes }, options.layers);
  if (result.ok) return { ok: true, kind: result.kind, packages: result.packages, bytesRead: result.bytesRead };
  const where = `layer ${short(result.digest)}`;
  if (isRegistryError(registryError)) {
    const failure = registryError.kind === "digest-mismatch" ? "digest-mismatch" : "registry";
    return fail(failure, `${where}: ${registryError.message}`, result.bytesRead);
  }
  if (result.reason === "too-large") return fail("too-large", `${where}: ${result.message}`, result.bytesRead);
  return fail("bad-layer", `${where}: ${result.reason.replaceAll("-", " ")} (${result.message})`, result.bytesRead);
}

async function* watched(
  stream: ReadableStream<Uint8Array> | NodeJS.ReadableStream,
  onError: (error: unknown) => void,
): AsyncGenerator<Uint8Array> {
  try {
    yield* stream as AsyncIterable<Uint8Array>;
  } catch (error) {
    onError(error);
    throw error;
  }
}

function fail(failure: InventoryFailure, reason: string, bytesRead = 0): Extract<InventoryResult, { ok: false }> {
  return { ok: false, failure, reason, bytesRead };
}

const short = (digest: string): string => digest.slice(0, 19);
