import zlib from "node:zlib";
import { LayerFailure, type Budget } from "./limits.js";

/** The byte streams under the layer reader: counting, peeking at magic numbers, picking a decompressor. */

export async function* counted(
  source: AsyncIterable<Uint8Array>,
  budget: Budget,
  layer: { bytes: number },
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    layer.bytes += chunk.byteLength;
    // Throwing here ends the for-await, which cancels the source stream.
    budget.spend(chunk.byteLength);
    yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/** Reads at least `size` bytes (or all) to look at the magic numbers, then replays them. */
export async function peek(
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

export function decompressorFor(head: Buffer): NodeJS.ReadWriteStream | null {
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
