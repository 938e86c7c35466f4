import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import tar from "tar-stream";
import type { Header } from "tar-stream";
import { parseApkInstalled } from "./apk-db.js";
import { parseDpkgStatus } from "./dpkg-db.js";
import {
  applyWhiteouts,
  isDatabasePath,
  normalizeTarPath,
  parseWhiteout,
  selectDatabases,
  type Whiteout,
} from "./paths.js";
import type { DatabaseKind, DatabaseProblem, InstalledPackage } from "./types.js";

export interface LayerSource {
  readonly digest: string;
  /** Informational only: the compression is read from the bytes. */
  readonly mediaType: string;
  readonly stream: () => Promise<ReadableStream<Uint8Array> | NodeJS.ReadableStream>;
}

export interface ReadLimits {
  /** Most bytes (as stored, compressed) read over all layers of one image. */
  readonly maxBytes: number;
  /** Most bytes of one database file; 64 MiB when not given. */
  readonly maxFileBytes?: number;
}

export type LayerFailureReason =
  | "truncated-layer" // the stream ended inside the gzip stream or a tar entry
  | "not-a-tar" // the (decompressed) bytes are not a tar archive
  | "corrupt-layer" // the compressed data does not decompress
  | "too-large" // over ReadLimits
  | "unsupported-compression" // zstd on a Node without zlib zstd, xz, bzip2
  | "unreadable-layer"; // opening or reading the stream failed

export type PackageDatabaseResult =
  | {
      readonly ok: true;
      readonly kind: DatabaseKind;
      readonly packages: InstalledPackage[];
      readonly bytesRead: number;
      readonly problems: DatabaseProblem[];
    }
  | {
      readonly ok: false;
      readonly reason: LayerFailureReason;
      readonly digest: string;
      readonly message: string;
      readonly bytesRead: number;
    };

// Carries a reason out of stream callbacks; never leaves this file.
class LayerFailure extends Error {
  override readonly name = "LayerFailure";
  constructor(
    readonly reason: LayerFailureReason,
    message: string,
  ) {
    super(message);
  }
}

interface Budget {
  used: number;
  readonly max: number;
}

/**
 * Goes through an image's layers in order and returns the OS package database of the
 * merged file system: later layers replace files, whiteouts remove them. Only database
 * files are kept in memory; everything else is read and dropped.
 */
export async function readPackageDatabase(
  layers: AsyncIterable<LayerSource> | Iterable<LayerSource>,
  limits: ReadLimits,
): Promise<PackageDatabaseResult> {
  const budget: Budget = { used: 0, max: limits.maxBytes };
  const files = new Map<string, Buffer>();
  for await (const layer of layers) {
    try {
      const changes = await readLayer(layer, budget, limits.maxFileBytes ?? 64 * 1024 * 1024);
      applyWhiteouts(files, changes.whiteouts);
      for (const [path, body] of changes.files) files.set(path, body);
    } catch (error) {
      const failure = toFailure(error);
      return {
        ok: false,
        reason: failure.reason,
        digest: layer.digest,
        message: failure.message,
        bytesRead: budget.used,
      };
    }
  }
  return { ok: true, ...parseDatabases(files), bytesRead: budget.used };
}

function parseDatabases(files: ReadonlyMap<string, Buffer>) {
  const { apk, dpkg } = selectDatabases(files);
  if (apk) {
    const parsed = parseApkInstalled(apk.text, apk.path);
    const extra = dpkg.length > 0 ? [{ message: "image has both apk and dpkg databases; reading apk's" }] : [];
    return { kind: "apk" as const, packages: parsed.packages, problems: [...parsed.problems, ...extra] };
  }
  if (dpkg.length === 0) return { kind: "none" as const, packages: [], problems: [] };
  const packages = new Map<string, InstalledPackage>();
  const problems: DatabaseProblem[] = [];
  for (const file of dpkg) {
    const parsed = parseDpkgStatus(file.text, file.path);
    problems.push(...parsed.problems);
    for (const p of parsed.packages) {
      const key = `${p.name}:${p.arch ?? ""}`;
      if (!packages.has(key)) packages.set(key, p);
    }
  }
  return { kind: "dpkg" as const, packages: [...packages.values()], problems };
}

interface LayerChanges {
  readonly files: Map<string, Buffer>;
  readonly whiteouts: Whiteout[];
}

async function readLayer(layer: LayerSource, budget: Budget, maxFileBytes: number): Promise<LayerChanges> {
  let opened: AsyncIterable<Uint8Array>;
  try {
    opened = (await layer.stream()) as AsyncIterable<Uint8Array>;
  } catch (error) {
    throw new LayerFailure("unreadable-layer", `cannot open layer: ${messageOf(error)}`);
  }
  const input = counted(opened, budget);
  const { head, body } = await peek(input, 512);
  let decompress: NodeJS.ReadWriteStream | null;
  try {
    decompress = decompressorFor(head);
  } catch (error) {
    await input.return(undefined); // cancels the layer's stream
    throw error;
  }
  const source = Readable.from(body);
  const extract = tar.extract();
  const piping = pipeline(decompress ? [source, decompress, extract] : [source, extract]).then(
    () => null,
    (error: unknown) => error,
  );
  const changes: LayerChanges = { files: new Map(), whiteouts: [] };
  try {
    for await (const entry of extract) {
      const path = normalizeTarPath(entry.header.name);
      const whiteout = parseWhiteout(path);
      const isFile = entry.header.type === "file" || entry.header.type === "contiguous-file";
      if (whiteout) {
        changes.whiteouts.push(whiteout);
        entry.resume();
      } else if (isFile && isDatabasePath(path)) {
        changes.files.set(path, await readEntry(entry, path, maxFileBytes));
      } else {
        // Anything else at a database path (a link, a directory) hides the lower file.
        if (isDatabasePath(path)) changes.whiteouts.push({ kind: "delete", path });
        entry.resume();
      }
    }
  } catch (error) {
    source.destroy();
    throw error;
  }
  const error = await piping;
  if (error) throw error;
  return changes;
}

async function readEntry(entry: { header: Header }, path: string, maxFileBytes: number): Promise<Buffer> {
  if ((entry.header.size ?? 0) > maxFileBytes) {
    throw new LayerFailure("too-large", `${path} is ${entry.header.size} bytes, over the ${maxFileBytes}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  // streamx streams are async iterable; their type declarations do not say so.
  for await (const chunk of entry as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function* counted(source: AsyncIterable<Uint8Array>, budget: Budget): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    budget.used += chunk.byteLength;
    // Throwing here ends the for-await, which cancels the source stream.
    if (budget.used > budget.max) throw new LayerFailure("too-large", `image layers exceed ${budget.max} bytes`);
    yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/** Reads at least `size` bytes (or all) to look at the magic numbers, then replays them. */
async function peek(
  source: AsyncGenerator<Buffer>,
  size: number,
): Promise<{ head: Buffer; body: AsyncGenerator<Buffer> }> {
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  try {
    while (length < size) {
      const next = await source.next();
      if (next.done) {
        ended = true;
        break;
      }
      chunks.push(next.value);
      length += next.value.length;
    }
  } catch (error) {
    throw error instanceof LayerFailure ? error : new LayerFailure("unreadable-layer", messageOf(error));
  }
  const head = Buffer.concat(chunks);
  async function* body(): AsyncGenerator<Buffer> {
    try {
      if (head.length > 0) yield head;
      if (!ended) yield* source;
    } finally {
      await source.return(undefined);
    }
  }
  return { head, body: body() };
}

const startsWith = (head: Buffer, magic: number[]): boolean => magic.every((byte, i) => head[i] === byte);

function decompressorFor(head: Buffer): NodeJS.ReadWriteStream | null {
  if (startsWith(head, [0x1f, 0x8b])) return zlib.createGunzip();
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) {
    const zstd = (zlib as { createZstdDecompress?: () => NodeJS.ReadWriteStream }).createZstdDecompress;
    if (zstd) return zstd();
    throw new LayerFailure(
      "unsupported-compression",
      `zstd layer: this Node (${process.version}) has no zlib zstd support (Node 22.15 or later has it)`,
    );
  }
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))
    throw new LayerFailure("unsupported-compression", "xz layer");
  if (startsWith(head, [0x42, 0x5a, 0x68])) throw new LayerFailure("unsupported-compression", "bzip2 layer");
  return null;
}

function toFailure(error: unknown): LayerFailure {
  if (error instanceof LayerFailure) return error;
  const message = messageOf(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "Z_BUF_ERROR" || /unexpected end|premature close/i.test(message)) {
    return new LayerFailure("truncated-layer", message);
  }
  if (code === "Z_DATA_ERROR") return new LayerFailure("corrupt-layer", message);
  if (/tar header|invalid header/i.test(message)) return new LayerFailure("not-a-tar", message);
  return new LayerFailure("unreadable-layer", message);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
