import { Readable } from "node:stream";
import zlib from "node:zlib";
import tar from "tar-stream";
import { describe, expect, it } from "vitest";
import { readPackageDatabase, type LayerSource } from "../../src/inventory/index.js";
import { gzipBomb } from "./bomb.js";

// Bounds of the layer reader (SPEC 10: a layer's uncompressed size and a package database are
// bounded), checked with real gzip bombs: tars of zeros, about 1 KiB of gzip per MiB.

const MiB = 1024 * 1024;
let next = 0;

/** A layer served in 64 KiB chunks, counting the stored bytes pulled. */
function layer(bytes: Buffer): LayerSource & { pulled: () => number } {
  let pulled = 0;
  const chunks = function* () {
    for (let i = 0; i < bytes.length; i += 65536) {
      pulled += Math.min(65536, bytes.length - i);
      yield bytes.subarray(i, i + 65536);
    }
  };
  return {
    digest: `sha256:${(next++).toString(16).padStart(64, "b")}`,
    mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
    stream: async () => Readable.from(chunks()),
    pulled: () => pulled,
  };
}

async function gzTar(entries: { name: string; body?: string }[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ name: e.name }, e.body ?? "");
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return zlib.gzipSync(Buffer.concat(chunks));
}

const stanza = (name: string) => `Package: ${name}\nStatus: install ok installed\nVersion: 1.0-1\n\n`;

describe("readPackageDatabase bounds (gzip bombs)", () => {
  it("refuses a status.d bomb by its tar header at the default database cap, without reading on", async () => {
    const entries = Array.from({ length: 16 }, (_, i) => ({ name: `var/lib/dpkg/status.d/p${i}`, size: 63 * MiB }));
    const bomb = layer(gzipBomb(entries)); // about 1 MB of gzip, 1008 MiB of tar
    const r = await readPackageDatabase([bomb], { maxBytes: 512 * MiB });
    expect(r).toMatchObject({
      ok: false,
      reason: "too-large",
      digest: bomb.digest,
      message: "var/lib/dpkg/status.d/p0 is 66060288 bytes: package database over 32 MiB",
    });
    expect(bomb.pulled()).toBeLessThan(256 * 1024);
  });

  it("counts every database file held: many status.d files each under the cap fail together", async () => {
    const entries = Array.from({ length: 6 }, (_, i) => ({ name: `var/lib/dpkg/status.d/p${i}`, size: 2 * MiB }));
    const r = await readPackageDatabase([layer(gzipBomb(entries))], { maxBytes: MiB, maxDatabaseBytes: 8 * MiB });
    expect(r).toMatchObject({ ok: false, reason: "too-large", message: expect.stringMatching(/over 8 MiB$/) });
  });

  it("stops a layer past its uncompressed cap, though every file in it is dropped", async () => {
    const bytes = gzipBomb([{ name: "usr/share/zeros", size: 1024 * MiB }]);
    const bomb = layer(bytes);
    const r = await readPackageDatabase([bomb], { maxBytes: 2 * MiB, maxLayerBytes: 16 * MiB });
    expect(r).toMatchObject({ ok: false, reason: "too-large", message: "layer over 16 MiB uncompressed" });
    expect(bomb.pulled()).toBeLessThan(bytes.length / 4); // each 64 KiB chunk is some 64 MiB of tar
  });

  it("stops an image past its uncompressed cap, at the layer that passes it", async () => {
    const first = layer(gzipBomb([{ name: "a", size: 12 * MiB }]));
    const second = layer(gzipBomb([{ name: "b", size: 12 * MiB }]));
    const r = await readPackageDatabase([first, second], { maxBytes: MiB, maxImageBytes: 16 * MiB });
    expect(r).toMatchObject({
      ok: false,
      reason: "too-large",
      digest: second.digest,
      message: "image over 16 MiB uncompressed",
    });
  });

  // While a layer is read, its copy and the one it replaces are both held: two copies fit, three would not.
  it("reads an image within every cap, and counts a replaced database only once", async () => {
    const status = (n: number) => Array.from({ length: n }, (_, i) => stanza(`p${i}`)).join("");
    const layers = [1, 2, 3].map(async () => layer(await gzTar([{ name: "var/lib/dpkg/status", body: status(400) }])));
    const r = await readPackageDatabase(await Promise.all(layers), { maxBytes: MiB, maxDatabaseBytes: 50_000 });
    expect(r).toMatchObject({ ok: true, kind: "dpkg" });
    expect(r.ok && r.packages.length).toBe(400);
  });

  it("caps the entries of a package database", async () => {
    const body = Array.from({ length: 11 }, (_, i) => stanza(`p${i}`)).join("");
    const l = layer(await gzTar([{ name: "var/lib/dpkg/status", body }]));
    expect(await readPackageDatabase([l], { maxBytes: MiB, maxPackages: 11 })).toMatchObject({ ok: true });
    expect(await readPackageDatabase([l], { maxBytes: MiB, maxPackages: 10 })).toMatchObject({
      ok: false,
      reason: "too-large",
      message: "package database over 10 entries",
    });
  });

  it("keeps only whiteouts that can hide a database, and counts those", async () => {
    const unrelated = Array.from({ length: 2000 }, (_, i) => ({ name: `usr/share/doc/.wh.f${i}` }));
    const ok = await readPackageDatabase([layer(await gzTar(unrelated))], { maxBytes: MiB, maxDatabaseBytes: 4096 });
    expect(ok).toMatchObject({ ok: true, kind: "none" });
    const hiding = Array.from({ length: 50 }, (_, i) => ({ name: `var/lib/dpkg/status.d/.wh.p${i}` }));
    const r = await readPackageDatabase([layer(await gzTar(hiding))], { maxBytes: MiB, maxDatabaseBytes: 4096 });
    expect(r).toMatchObject({ ok: false, reason: "too-large", message: "package database over 4096 bytes" });
  });
});
