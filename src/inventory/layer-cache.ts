import type { Whiteout } from "./paths.js";

/** What one layer contributes to the package database: the files it writes, those it hides, and its size. */
export interface LayerChanges {
  readonly files: ReadonlyMap<string, Buffer>;
  readonly whiteouts: readonly Whiteout[];
  /** Bytes as stored (compressed) and once decompressed, charged to every image that has the layer. */
  readonly storedBytes: number;
  readonly uncompressedBytes: number;
}

/**
 * Layers' changes by layer digest (a digest names immutable content), so a layer two images share
 * (an old and a new image of one bump, the base of several images) is downloaded once: a read in
 * flight is joined, a finished one kept (least recently used dropped past `maxBytes` of database
 * files held). A read that fails is not kept: the next image reads the layer itself.
 */
export interface LayerCache {
  /** The layer's changes: known or being read (`shared`), else those `read` finds. */
  get(digest: string, read: () => Promise<LayerChanges>): Promise<{ changes: LayerChanges; shared: boolean }>;
}

const MiB = 1024 * 1024;

export function createLayerCache(maxBytes = 64 * MiB): LayerCache {
  const inFlight = new Map<string, Promise<LayerChanges>>();
  const done = new Map<string, { changes: LayerChanges; size: number }>();
  let held = 0;

  const keep = (digest: string, changes: LayerChanges): void => {
    let size = 0;
    for (const body of changes.files.values()) size += body.length;
    if (size > maxBytes || done.has(digest)) return;
    done.set(digest, { changes, size });
    held += size;
    for (const [oldest, entry] of done) {
      if (held <= maxBytes) break;
      done.delete(oldest);
      held -= entry.size;
    }
  };

  return {
    async get(digest, read) {
      const known = done.get(digest);
      if (known) {
        done.delete(digest);
        done.set(digest, known);
        return { changes: known.changes, shared: true };
      }
      const joined = inFlight.get(digest);
      if (joined) {
        const changes = await joined.catch(() => null);
        if (changes) return { changes, shared: true };
      }
      const reading = read();
      inFlight.set(digest, reading);
      try {
        const changes = await reading;
        keep(digest, changes);
        return { changes, shared: false };
      } finally {
        if (inFlight.get(digest) === reading) inFlight.delete(digest);
      }
    },
  };
}
