/** The bounds on reading one image's layers, and the counters that enforce them. */

const MiB = 1024 * 1024;

export interface ReadLimits {
  /** Most bytes (as stored, compressed) read over all layers of one image. */
  readonly maxBytes: number;
  /** Most bytes of one layer once decompressed; default 1 GiB. */
  readonly maxLayerBytes?: number;
  /** Most bytes of all of an image's layers once decompressed; default 2 GiB. */
  readonly maxImageBytes?: number;
  /**
   * Most bytes of package database kept in memory at once: apk's file, or dpkg's status and
   * status.d files together, each file (and each whiteout kept) counted with its 512-byte tar
   * header; default 32 MiB.
   */
  readonly maxDatabaseBytes?: number;
  /** Most entries (package stanzas) read from the package database; default 50,000. */
  readonly maxPackages?: number;
}

export const defaultReadLimits = {
  maxLayerBytes: 1024 * MiB,
  maxImageBytes: 2048 * MiB,
  maxDatabaseBytes: 32 * MiB,
  maxPackages: 50_000,
} as const;

/** What a tar entry costs besides its body: its header block. */
export const ENTRY_COST = 512;

export type LayerFailureReason =
  | "truncated-layer" // the stream ended inside the gzip stream or a tar entry
  | "not-a-tar" // the (decompressed) bytes are not a tar archive
  | "corrupt-layer" // the compressed data does not decompress
  | "too-large" // over ReadLimits
  | "unsupported-compression" // zstd on a Node without zlib zstd, xz, bzip2
  | "unreadable-layer"; // opening or reading the stream failed

// Carries a reason out of stream callbacks; never leaves this package.
export class LayerFailure extends Error {
  override readonly name = "LayerFailure";
  constructor(
    readonly reason: LayerFailureReason,
    message: string,
  ) {
    super(message);
  }
}

/** "64 MiB" for whole mebibytes, else bytes. */
export const describeSize = (bytes: number): string => (bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`);

/** A running total that fails with `too-large` once it passes `max`. */
export class Budget {
  used = 0;
  constructor(
    readonly max: number,
    /** Says what is over the limit, e.g. (limit) => `layer over ${limit} uncompressed`. */
    private readonly over: (limit: string) => string,
  ) {}
  /** Counts `bytes` (they were read), then fails if that passes the limit. */
  spend(bytes: number): void {
    this.used += bytes;
    if (this.used > this.max) throw new LayerFailure("too-large", this.over(describeSize(this.max)));
  }
}

/**
 * Package database bytes held: those of the merged file system of the layers read so far plus
 * what the layer being read has spent; `settle` recounts once that layer is merged (replaced
 * and whited-out files no longer count).
 */
export class DatabaseBudget extends Budget {
  constructor(max: number) {
    super(max, (limit) => `package database over ${limit}`);
  }
  settle(files: ReadonlyMap<string, Buffer>): void {
    let held = 0;
    for (const body of files.values()) held += ENTRY_COST + body.length;
    this.used = held;
  }
}
