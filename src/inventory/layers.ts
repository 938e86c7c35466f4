import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import tar from "tar-stream";
import type { Header } from "tar-stream";
import { parseApkInstalled } from "./apk-db.js";
import { parseDpkgStatus } from "./dpkg-db.js";
import {
  Budget,
  DatabaseBudget,
  defaultReadLimits,
  describeSize,
  ENTRY_COST,
  LayerFailure,
  type LayerFailureReason,
  type ReadLimits,
} from "./limits.js";
import {
  applyWhiteouts,
  canHideDatabase,
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

export type { LayerFailureReason, ReadLimits } from "./limits.js";

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

/** The budgets of one image: compressed bytes, uncompressed bytes, database bytes held. */
interface Budgets {
  readonly stored: Budget;
  readonly image: Budget;
  readonly maxLayerBytes: number;
  readonly database: DatabaseBudget;
}

/**
 * Goes through an image's layers in order and returns the OS package database of the
 * merged file system: later layers replace files, whiteouts remove them. Only database
 * files are kept in memory, within `maxDatabaseBytes`; everything else is decompressed,
 * counted against the uncompressed caps and dropped.
 */
export async function readPackageDatabase(
  layers: AsyncIterable<LayerSource> | Iterable<LayerSource>,
  limits: ReadLimits,
): Promise<PackageDatabaseResult> {
  const budgets: Budgets = {
    stored: new Budget(limits.maxBytes, (limit) => `image layers over ${limit} as stored`),
    image: new Budget(
      limits.maxImageBytes ?? defaultReadLimits.maxImageBytes,
      (limit) => `image over ${limit} uncompressed`,
    ),
    maxLayerBytes: limits.maxLayerBytes ?? defaultReadLimits.maxLayerBytes,
    database: new DatabaseBudget(limits.maxDatabaseBytes ?? defaultReadLimits.maxDatabaseBytes),
  };
  const files = new Map<string, Buffer>();
  let lastDigest = "";
  for await (const layer of layers) {
    lastDigest = layer.digest;
    try {
      const changes = await readLayer(layer, budgets);
      applyWhiteouts(files, changes.whiteouts);
      for (const [path, body] of changes.files) files.set(path, body);
      budgets.database.settle(files);
    } catch (error) {
      return failed(layer.digest, toFailure(error), budgets.stored.used);
    }
  }
  const maxPackages = limits.maxPackages ?? defaultReadLimits.maxPackages;
  const parsed = parseDatabases(files, maxPackages);
  if (!parsed) {
    const failure = new LayerFailure("too-large", `package database over ${maxPackages} entries`);
    return failed(lastDigest, failure, budgets.stored.used);
  }
  return { ok: true, ...parsed, bytesRead: budgets.stored.used };
}

function failed(digest: string, failure: LayerFailure, bytesRead: number): PackageDatabaseResult {
  return { ok: false, reason: failure.reason, digest, message: failure.message, bytesRead };
}

/** The packages of the merged file system; null when the databases hold over `maxPackages` entries. */
function parseDatabases(files: ReadonlyMap<string, Buffer>, maxPackages: number) {
  const { apk, dpkg } = selectDatabases(files);
  if (apk) {
    const parsed = parseApkInstalled(apk.text, apk.path, maxPackages);
    if (parsed.truncated) return null;
    const extra = dpkg.length > 0 ? [{ message: "image has both apk and dpkg databases; reading apk's" }] : [];
    return { kind: "apk" as const, packages: parsed.packages, problems: [...parsed.problems, ...extra] };
  }
  if (dpkg.length === 0) return { kind: "none" as const, packages: [], problems: [] };
  const packages = new Map<string, InstalledPackage>();
  const problems: DatabaseProblem[] = [];
  let left = maxPackages;
  for (const file of dpkg) {
    const parsed = parseDpkgStatus(file.text, file.path, left);
    if (parsed.truncated) return null;
    left -= parsed.stanzas;
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

async function readLayer(layer: LayerSource, budgets: Budgets): Promise<LayerChanges> {
  let opened: AsyncIterable<Uint8Array>;
  try {
    opened = (await layer.stream()) as AsyncIterable<Uint8Array>;
  } catch (error) {
    throw new LayerFailure("unreadable-layer", `cannot open layer: ${messageOf(error)}`);
  }
  const input = counted(opened, budgets.stored);
  const { head, body } = await peek(input, 512);
  let decompress: NodeJS.ReadWriteStream | null;
  try {
    decompress = decompressorFor(head);
  } catch (error) {
    await input.return(undefined); // cancels the layer's stream
    throw error;
  }
  const source = Readable.from(body);
  const layerBudget = new Budget(budgets.maxLayerBytes, (limit) => `layer over ${limit} uncompressed`);
  // The first cap a decompressed chunk passes ends the layer; remembered because the tar
  // reader may report the stream's end in its own words.
  let overflow: LayerFailure | null = null;
  const uncompressed = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        layerBudget.spend(chunk.length);
        budgets.image.spend(chunk.length);
        done(null, chunk);
      } catch (error) {
        overflow = error as LayerFailure;
        done(overflow);
      }
    },
  });
  const extract = tar.extract();
  const piping = (
    decompress ? pipeline(source, decompress, uncompressed, extract) : pipeline(source, uncompressed, extract)
  ).then(
    () => null,
    (error: unknown) => error,
  );
  const changes: LayerChanges = { files: new Map(), whiteouts: [] };
  const hide = (whiteout: Whiteout) => {
    budgets.database.spend(ENTRY_COST);
    changes.whiteouts.push(whiteout);
  };
  try {
    for await (const entry of extract) {
      const path = normalizeTarPath(entry.header.name);
      const whiteout = parseWhiteout(path);
      const isFile = entry.header.type === "file" || entry.header.type === "contiguous-file";
      if (whiteout) {
        if (canHideDatabase(whiteout)) hide(whiteout);
        entry.resume();
      } else if (isFile && isDatabasePath(path)) {
        changes.files.set(path, await readEntry(entry, path, budgets.database));
      } else {
        // Anything else at a database path (a link, a directory) hides the lower file.
        if (isDatabasePath(path)) hide({ kind: "delete", path });
        entry.resume();
      }
    }
  } catch (error) {
    source.destroy();
    throw overflow ?? error;
  }
  const error = await piping;
  if (error) throw overflow ?? error;
  return changes;
}

/** A database file's bytes, counted against the database budget before they are kept. */
async function readEntry(entry: { header: Header }, path: string, budget: DatabaseBudget): Promise<Buffer> {
  const size = entry.header.size ?? 0;
  try {
    budget.spend(ENTRY_COST + size);
  } catch {
    throw new LayerFailure("too-large", `${path} is ${size} bytes: package database over ${describeSize(budget.max)}`);
  }
  const body = Buffer.alloc(size);
  let at = 0;
  // streamx streams are async iterable; their type declarations do not say so.
  for await (const chunk of entry as unknown as AsyncIterable<Uint8Array>) {
    if (at + chunk.byteLength > size) throw new LayerFailure("not-a-tar", `${path} is longer than its tar header says`);
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body.subarray(0, at);
}

async function* counted(source: AsyncIterable<Uint8Array>, budget: Budget): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    // Throwing here ends the for-await, which cancels the source stream.
    budget.spend(chunk.byteLength);
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
