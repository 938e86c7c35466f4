import { Readable } from "node:stream";
import zlib from "node:zlib";
import tar from "tar-stream";
import { describe, expect, it } from "vitest";
import { readPackageDatabase, type LayerSource } from "../../src/inventory/index.js";
import { sharedText } from "./shared.js";

type Entry = { name: string; body?: string; type?: "file" | "directory" | "symlink"; linkname?: string };

async function tarball(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    if ((e.type ?? "file") === "file") pack.entry({ name: e.name }, e.body ?? "");
    else pack.entry({ name: e.name, type: e.type, linkname: e.linkname });
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const gz = async (entries: Entry[]) => zlib.gzipSync(await tarball(entries));

let next = 0;
/** A layer served as a Node stream in 1 KiB chunks (or as a web stream), counting what was pulled. */
function layer(
  bytes: Buffer,
  options: { web?: boolean; mediaType?: string } = {},
): LayerSource & { pulled: () => number } {
  let pulled = 0;
  const chunks = function* () {
    for (let i = 0; i < bytes.length; i += 1024) {
      pulled += Math.min(1024, bytes.length - i);
      yield bytes.subarray(i, i + 1024);
    }
  };
  return {
    digest: `sha256:${(next++).toString(16).padStart(64, "0")}`,
    mediaType: options.mediaType ?? "application/vnd.oci.image.layer.v1.tar+gzip",
    stream: async () =>
      options.web ? (Readable.toWeb(Readable.from(chunks())) as ReadableStream<Uint8Array>) : Readable.from(chunks()),
    pulled: () => pulled,
  };
}

const big = { maxBytes: 50 * 1024 * 1024 };
const names = (r: Awaited<ReturnType<typeof readPackageDatabase>>) => (r.ok ? r.packages.map((p) => p.name).sort() : r);

const alpineOld = sharedText("pkgdb/apk/alpine-multiple-2.installed");
const alpineNew = sharedText("pkgdb/apk/alpine-scalibr.installed");
const ubuntu = sharedText("pkgdb/dpkg/ubuntu-valid.status");
const single = sharedText("pkgdb/dpkg/status.d/single");
const sqlite = sharedText("pkgdb/dpkg/status.d/distroless-libsqlite3-0");

describe("readPackageDatabase", () => {
  it("reads apk's database; a later layer's copy wins; bytesRead counts stored bytes", async () => {
    const l1 = layer(
      await gz([
        { name: "etc/", type: "directory" },
        { name: "lib/apk/db/installed", body: alpineOld },
        { name: "bin/sh", body: "x".repeat(5000) },
      ]),
    );
    const l2 = layer(await gz([{ name: "./lib/apk/db/installed", body: alpineNew }]), { web: true });
    const r = await readPackageDatabase([l1, l2], big);
    expect(r).toMatchObject({ ok: true, kind: "apk", problems: [] });
    expect(r.ok && r.packages).toHaveLength(15);
    expect(r.ok && r.packages).toContainEqual({
      name: "libssl3",
      version: "3.1.0-r4",
      source: "openssl",
      arch: "x86_64",
    });
    expect(r.bytesRead).toBe(l1.pulled() + l2.pulled());
  });

  it("takes layers from an async iterable and reads usr-merged apk paths", async () => {
    async function* layers() {
      yield layer(
        await gz([{ name: "/usr/lib/apk/db/installed", body: sharedText("pkgdb/apk/wolfi-apko.installed") }]),
      );
    }
    const r = await readPackageDatabase(layers(), big);
    expect(r).toMatchObject({ ok: true, kind: "apk" });
    expect(r.ok && r.packages).toHaveLength(14);
  });

  it("reads an uncompressed tar layer whatever its media type says", async () => {
    const l = layer(await tarball([{ name: "var/lib/dpkg/status", body: ubuntu }]), {
      mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
    });
    const r = await readPackageDatabase([l], big);
    expect(r).toMatchObject({ ok: true, kind: "dpkg" });
    expect(r.ok && r.packages).toHaveLength(90);
  });

  it("reads distroless status.d entries and skips their .md5sums", async () => {
    const l = layer(
      await gz([
        { name: "var/lib/dpkg/status.d/", type: "directory" },
        { name: "var/lib/dpkg/status.d/apt", body: single },
        { name: "var/lib/dpkg/status.d/apt.md5sums", body: "d41d8cd98f00b204e9800998ecf8427e  usr/bin/apt\n" },
        { name: "var/lib/dpkg/status.d/libsqlite3-0", body: sqlite },
      ]),
    );
    const r = await readPackageDatabase([l], big);
    expect(r).toMatchObject({ ok: true, kind: "dpkg", problems: [] });
    expect(names(r)).toEqual(["apt", "libsqlite3-0"]);
  });

  it("applies a .wh.<name> whiteout from a later layer", async () => {
    const l1 = layer(
      await gz([
        { name: "var/lib/dpkg/status", body: ubuntu },
        { name: "var/lib/dpkg/status.d/apt", body: single },
      ]),
    );
    const l2 = layer(await gz([{ name: "var/lib/dpkg/.wh.status", body: "" }]));
    expect(names(await readPackageDatabase([l1, l2], big))).toEqual(["apt"]);
  });

  it("a whiteout inside status.d removes one entry and is not read as a stanza file", async () => {
    const l1 = layer(
      await gz([
        { name: "var/lib/dpkg/status.d/apt", body: single },
        { name: "var/lib/dpkg/status.d/libsqlite3-0", body: sqlite },
      ]),
    );
    const l2 = layer(await gz([{ name: "var/lib/dpkg/status.d/.wh.apt", body: "" }]));
    expect(await readPackageDatabase([l1, l2], big)).toMatchObject({
      ok: true,
      kind: "dpkg",
      packages: [{ name: "libsqlite3-0" }],
      problems: [],
    });
  });

  it("a whiteout of a parent directory removes everything under it", async () => {
    const l1 = layer(await gz([{ name: "var/lib/dpkg/status", body: ubuntu }]));
    const l2 = layer(await gz([{ name: "var/lib/.wh.dpkg", body: "" }]));
    expect(await readPackageDatabase([l1, l2], big)).toMatchObject({ ok: true, kind: "none", packages: [] });
  });

  it("an opaque directory hides lower layers but not its own layer's files, in any entry order", async () => {
    const l1 = layer(await gz([{ name: "var/lib/dpkg/status.d/apt", body: single }]));
    const l2 = layer(
      await gz([
        { name: "var/lib/dpkg/status.d/libsqlite3-0", body: sqlite },
        { name: "var/lib/dpkg/status.d/.wh..wh..opq", body: "" },
      ]),
    );
    expect(names(await readPackageDatabase([l1, l2], big))).toEqual(["libsqlite3-0"]);
  });

  it("a symlink put where the database was hides the lower file", async () => {
    const l1 = layer(await gz([{ name: "lib/apk/db/installed", body: alpineOld }]));
    const l2 = layer(await gz([{ name: "lib/apk/db/installed", type: "symlink", linkname: "/elsewhere" }]));
    expect(await readPackageDatabase([l1, l2], big)).toMatchObject({ ok: true, kind: "none" });
  });

  it("says none for an image without a package database, and for no layers", async () => {
    const l = layer(await gz([{ name: "app/main", body: "binary" }]));
    expect(await readPackageDatabase([l], big)).toMatchObject({ ok: true, kind: "none", packages: [], problems: [] });
    expect(await readPackageDatabase([], big)).toEqual({
      ok: true,
      kind: "none",
      packages: [],
      problems: [],
      bytesRead: 0,
    });
  });

  it("passes on the parser's problems with the file they come from", async () => {
    const l = layer(await gz([{ name: "var/lib/dpkg/status", body: sharedText("pkgdb/dpkg/corrupted.status") }]));
    const r = await readPackageDatabase([l], big);
    expect(r.ok && r.packages).toHaveLength(4);
    expect(r.ok && r.problems.map((p) => p.file)).toEqual(["var/lib/dpkg/status", "var/lib/dpkg/status"]);
  });

  it("prefers apk when both databases exist, and says so", async () => {
    const l = layer(
      await gz([
        { name: "lib/apk/db/installed", body: alpineNew },
        { name: "var/lib/dpkg/status", body: ubuntu },
      ]),
    );
    const r = await readPackageDatabase([l], big);
    expect(r).toMatchObject({
      ok: true,
      kind: "apk",
      problems: [{ message: expect.stringMatching(/both apk and dpkg/) }],
    });
  });

  it("reports a truncated gzip layer", async () => {
    const whole = await gz([{ name: "var/lib/dpkg/status", body: ubuntu }]);
    const l = layer(whole.subarray(0, Math.floor(whole.length / 2)));
    const r = await readPackageDatabase([layer(await gz([])), l], big);
    expect(r).toMatchObject({ ok: false, reason: "truncated-layer", digest: l.digest });
  });

  it("reports a truncated uncompressed layer", async () => {
    const whole = await tarball([{ name: "var/lib/dpkg/status", body: ubuntu }]);
    const r = await readPackageDatabase([layer(whole.subarray(0, 5000))], big);
    expect(r).toMatchObject({ ok: false, reason: "truncated-layer" });
  });

  it("reports bytes that are not a tar, compressed or not", async () => {
    const text = Buffer.from("this is not a tar archive\n".repeat(100));
    expect(await readPackageDatabase([layer(text)], big)).toMatchObject({ ok: false, reason: "not-a-tar" });
    expect(await readPackageDatabase([layer(zlib.gzipSync(text))], big)).toMatchObject({
      ok: false,
      reason: "not-a-tar",
    });
  });

  it("reports gzip data that does not decompress", async () => {
    const whole = await gz([{ name: "var/lib/dpkg/status", body: ubuntu }]);
    const broken = Buffer.concat([whole.subarray(0, 20), Buffer.alloc(2000, 0xff), whole.subarray(2020)]);
    expect(await readPackageDatabase([layer(broken)], big)).toMatchObject({ ok: false, reason: "corrupt-layer" });
  });

  it("stops reading once the image is over maxBytes", async () => {
    const noise = (await import("node:crypto")).randomBytes(200 * 1024).toString("base64");
    const l1 = layer(await gz([{ name: "lib/apk/db/installed", body: alpineOld }]));
    const l2 = layer(await gz([{ name: "noise", body: noise }]));
    const r = await readPackageDatabase([l1, l2], { maxBytes: 64 * 1024 });
    expect(r).toMatchObject({ ok: false, reason: "too-large", digest: l2.digest });
    expect(l2.pulled()).toBeLessThanOrEqual(64 * 1024 + 1024);
    expect(r.bytesRead).toBeGreaterThan(64 * 1024);
  });

  it("refuses a database file over maxDatabaseBytes", async () => {
    const l = layer(await gz([{ name: "var/lib/dpkg/status", body: ubuntu }]));
    const r = await readPackageDatabase([l], { maxBytes: 1e9, maxDatabaseBytes: 10_000 });
    expect(r).toMatchObject({
      ok: false,
      reason: "too-large",
      message: expect.stringMatching(/var\/lib\/dpkg\/status/),
    });
  });

  it("reads zstd layers where Node's zlib can, and otherwise gives a clear reason", async () => {
    const tarBytes = await tarball([{ name: "lib/apk/db/installed", body: alpineNew }]);
    const z = zlib as unknown as { zstdCompressSync?: (b: Buffer) => Buffer };
    if (z.zstdCompressSync) {
      const r = await readPackageDatabase([layer(z.zstdCompressSync(tarBytes))], big);
      expect(r).toMatchObject({ ok: true, kind: "apk" });
    } else {
      // A zstd frame header (magic 28 b5 2f fd) is enough to be recognized.
      const frame = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(200 * 1024)]);
      const l = layer(frame, { mediaType: "application/vnd.oci.image.layer.v1.tar+zstd" });
      const r = await readPackageDatabase([l], big);
      expect(r).toMatchObject({
        ok: false,
        reason: "unsupported-compression",
        message: expect.stringMatching(/zstd.*Node/),
      });
      expect(l.pulled()).toBeLessThan(frame.length / 2); // the stream was closed, not drained
    }
  });

  it("reports a layer whose stream cannot be opened", async () => {
    const failing: LayerSource = {
      digest: "sha256:dead",
      mediaType: "x",
      stream: () => Promise.reject(new Error("connection reset")),
    };
    expect(await readPackageDatabase([failing], big)).toMatchObject({
      ok: false,
      reason: "unreadable-layer",
      digest: "sha256:dead",
      message: expect.stringMatching(/connection reset/),
    });
  });
});
