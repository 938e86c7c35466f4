import { Readable } from "node:stream";
import zlib from "node:zlib";
import tar from "tar-stream";
import { describe, expect, it } from "vitest";
import { createLayerCache, readPackageDatabase, type LayerSource } from "../../src/inventory/index.js";
import { sharedText } from "./shared.js";

async function gz(entries: { name: string; body: string }[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ name: e.name }, e.body);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return zlib.gzipSync(Buffer.concat(chunks));
}

/** A layer whose every open is counted; `fail` makes opens throw. */
function source(digest: string, bytes: Buffer) {
  const state = { opens: 0, fail: false };
  const layer: LayerSource = {
    digest,
    mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
    stream: async () => {
      state.opens++;
      if (state.fail) throw new Error("connection reset");
      return Readable.from([bytes]);
    },
  };
  return { layer, state };
}

const limits = { maxBytes: 10 * 1024 * 1024 };
const apk = sharedText("pkgdb/apk/alpine-scalibr.installed");

describe("readPackageDatabase with a layer cache", () => {
  it("a layer read for one image is not downloaded for the next, yet counts against that image's limits", async () => {
    const bytes = await gz([
      { name: "lib/apk/db/installed", body: apk },
      { name: "bin/big", body: "x".repeat(200_000) },
    ]);
    const { layer, state } = source("sha256:aa", bytes);
    const cache = createLayerCache();
    const first = await readPackageDatabase([layer], limits, cache);
    const second = await readPackageDatabase([layer], limits, cache);
    expect(state.opens).toBe(1);
    expect(first).toMatchObject({ ok: true, kind: "apk", bytesRead: bytes.length });
    expect(second).toMatchObject({ ok: true, kind: "apk", bytesRead: 0 });
    expect(second.ok && second.packages).toEqual(first.ok && first.packages);
    // Too large for this image, shared or not: the cache never lifts a limit.
    expect(await readPackageDatabase([layer], { maxBytes: bytes.length - 1 }, cache)).toMatchObject({
      ok: false,
      reason: "too-large",
    });
    expect(await readPackageDatabase([layer], { ...limits, maxLayerBytes: 100_000 }, cache)).toMatchObject({
      ok: false,
      reason: "too-large",
    });
    expect(state.opens).toBe(1);
  });

  it("joins a read in flight; a read that failed is not kept, so the next image reads the layer itself", async () => {
    const bytes = await gz([{ name: "lib/apk/db/installed", body: apk }]);
    const { layer, state } = source("sha256:bb", bytes);
    const cache = createLayerCache();
    const both = await Promise.all([
      readPackageDatabase([layer], limits, cache),
      readPackageDatabase([layer], limits, cache),
    ]);
    expect(both.map((r) => r.ok)).toEqual([true, true]);
    expect(state.opens).toBe(1);

    const broken = source("sha256:cc", bytes);
    broken.state.fail = true;
    expect(await readPackageDatabase([broken.layer], limits, cache)).toMatchObject({ ok: false });
    broken.state.fail = false;
    expect(await readPackageDatabase([broken.layer], limits, cache)).toMatchObject({ ok: true, kind: "apk" });
    expect(broken.state.opens).toBe(2);
  });

  it("holds at most its byte bound of database files: the least recently used layer goes first", async () => {
    const a = source("sha256:dd", await gz([{ name: "lib/apk/db/installed", body: apk }]));
    const b = source("sha256:ee", await gz([{ name: "lib/apk/db/installed", body: apk + "\n" }]));
    const cache = createLayerCache(apk.length + 10); // room for one database file
    await readPackageDatabase([a.layer], limits, cache);
    await readPackageDatabase([b.layer], limits, cache);
    await readPackageDatabase([b.layer], limits, cache);
    await readPackageDatabase([a.layer], limits, cache);
    expect([a.state.opens, b.state.opens]).toEqual([2, 1]);
  });
});
