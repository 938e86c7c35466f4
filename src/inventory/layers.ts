import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import tar from "tar-stream";
import type { Header } from "tar-stream";
import { parseApkInstalled } from "./apk-db.js";
import { parseDpkgStatus } from "./dpkg-db.js";
import type { LayerCache, LayerChanges } from "./layer-cache.js";
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
import { counted, decompressorFor, peek } from "./layer-streams.js";

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
 * counted against the uncompressed caps and dropped. With a `layerCache`, a layer another image
 * has read (or is reading) is not downloaded again; it still counts against this image's limits,
 * but not in `bytesRead`, which counts what this call downloaded.
 */
export async function readPackageDatabase(
  layers: AsyncIterable<LayerSource> | Iterable<LayerSource>,
  limits: ReadLimits,
  layerCache?: LayerCache,
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
  // Stored bytes of layers another image read: charged to the limits, never downloaded here.
  let sharedBytes = 0;
  const downloaded = () => budgets.stored.used - sharedBytes;
  for await (const layer of layers) {
    lastDigest = layer.digest;
    try {
      let changes: LayerChanges;
      if (layerCache) {
        const found = await layerCache.get(layer.digest, () => readLayer(layer, budgets));
        changes = found.changes;
        if (found.shared) {
          sharedBytes += changes.storedBytes;
          charge(budgets, changes);
        }
      } else changes = await readLayer(layer, budgets);
      applyWhiteouts(files, changes.whiteouts);
      for (const [path, body] of changes.files) files.set(path, body);
      budgets.database.settle(files);
    } catch (error) {
      return failed(layer.digest, toFailure(error), downloaded());
    }
  }
  const maxPackages = limits.maxPackages ?? defaultReadLimits.maxPackages;
  const parsed = parseDatabases(files, maxPackages);
  if (!parsed) {
    const failure = new LayerFailure("too-large", `package database over ${maxPackages} entries`);
    return failed(lastDigest, failure, downloaded());
  }
  return { ok: true, ...parsed, bytesRead: downloaded() };
}

/** A layer read for another image counts against this image's limits as if it had been read here. */
function charge(budgets: Budgets, changes: LayerChanges): void {
  if (changes.uncompressedBytes > budgets.maxLayerBytes)
    throw new LayerFailure("too-large", `layer over ${describeSize(budgets.maxLayerBytes)} uncompressed`);
  budgets.stored.spend(changes.storedBytes);
  budgets.image.spend(changes.uncompressedBytes);
  let database = changes.whiteouts.length * ENTRY_COST;
  for (const body of changes.files.values()) database += ENTRY_COST + body.length;
  budgets.database.spend(database);
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

async function readLayer(layer: LayerSource, budgets: Budgets): Promise<LayerChanges> {
  let opened: AsyncIterable<Uint8Array>;
  try {
    opened = (await layer.stream()) as AsyncIterable<Uint8Array>;
  } catch (error) {
    throw new LayerFailure("unreadable-layer", `cannot open layer: ${messageOf(error)}`);
  }
  const stored = { bytes: 0 };
  const input = counted(opened, budgets.stored, stored);
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
  const files = new Map<string, Buffer>();
  const whiteouts: Whiteout[] = [];
  const hide = (whiteout: Whiteout) => {
    budgets.database.spend(ENTRY_COST);
    whiteouts.push(whiteout);
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
        files.set(path, await readEntry(entry, path, budgets.database));
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
  return { files, whiteouts, storedBytes: stored.bytes, uncompressedBytes: layerBudget.used };
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
