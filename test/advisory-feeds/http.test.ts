import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOsv, parseSecdb } from "../../src/advisories/index.js";
import { createFeedFetcher } from "../../src/advisory-feeds/index.js";
import { sharedPath } from "../advisories/shared.js";

/** Serves shared/advisories files; /etag/* validates with ETag, /date/* with Last-Modified only. */
const counts = { 200: 0, 304: 0, 404: 0 };
let changed = false;
let base = "";
const server = http.createServer((req, res) => {
  const [, mode = "", ...rest] = (req.url ?? "").split("/");
  const file = rest.join("/");
  const known = /^(secdb|osv)\/[\w.-]+\.json$/.test(file) && existsSync(sharedPath(`advisories/${file}`));
  if (!known || !["etag", "date", "big"].includes(mode)) {
    counts[404]++;
    res.writeHead(404).end();
    return;
  }
  const body = Buffer.concat([readFileSync(sharedPath(`advisories/${file}`)), Buffer.from(changed ? "\n" : "")]);
  const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 16)}"`;
  const lastModified = new Date(
    statSync(sharedPath(`advisories/${file}`)).mtimeMs + (changed ? 60_000 : 0),
  ).toUTCString();
  const fresh =
    mode === "etag"
      ? req.headers["if-none-match"] === etag
      : mode === "date" && req.headers["if-modified-since"] === lastModified;
  if (fresh) {
    counts[304]++;
    res.writeHead(304).end();
    return;
  }
  counts[200]++;
  res
    .writeHead(200, {
      "content-type": "application/json",
      ...(mode === "etag" ? { etag } : { "last-modified": lastModified }),
    })
    .end(body);
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const reset = () => Object.assign(counts, { 200: 0, 304: 0, 404: 0 });

describe("createFeedFetcher against a loopback server", () => {
  it("revalidates with If-None-Match and reuses the body on 304", async () => {
    reset();
    changed = false;
    const feeds = createFeedFetcher();
    const url = `${base}/etag/secdb/wolfi-security.json`;
    const first = await feeds.get(url);
    const second = await feeds.get(url);
    const third = await feeds.get(url);
    expect(first).toMatchObject({ ok: true, fromCache: false });
    expect(second).toMatchObject({ ok: true, fromCache: true });
    expect(third.ok && third.body).toBe(first.ok && first.body);
    expect(counts).toEqual({ 200: 1, 304: 2, 404: 0 });
    expect(parseSecdb(third.ok ? third.body : "", "wolfi").advisories).toHaveLength(3);
  });

  it("revalidates with If-Modified-Since when the server gives only Last-Modified, and refetches a changed feed", async () => {
    reset();
    changed = false;
    const feeds = createFeedFetcher();
    const url = `${base}/date/osv/DSA-3029-1.json`;
    await feeds.get(url);
    const cached = await feeds.get(url);
    changed = true;
    const refreshed = await feeds.get(url);
    const cachedAgain = await feeds.get(url);
    changed = false;
    expect(cached).toMatchObject({ ok: true, fromCache: true });
    expect(refreshed).toMatchObject({ ok: true, fromCache: false });
    expect(cachedAgain).toMatchObject({ ok: true, fromCache: true });
    expect(counts).toEqual({ 200: 2, 304: 2, 404: 0 });
    expect(parseOsv(refreshed.ok ? refreshed.body : "").advisories[0]?.id).toBe("DSA-3029-1");
  });

  it("keeps one remembered body per URL", async () => {
    reset();
    const feeds = createFeedFetcher();
    const a = `${base}/etag/secdb/alpine-311-main.json`;
    const b = `${base}/etag/secdb/alpine-312-main.json`;
    await feeds.get(a);
    await feeds.get(b);
    const again = await feeds.get(a);
    expect(again.ok && again.body).toContain("apache2");
    expect(counts).toEqual({ 200: 2, 304: 1, 404: 0 });
  });

  it("returns failures as data: HTTP errors, oversized bodies, unreachable hosts", async () => {
    const feeds = createFeedFetcher({ maxBytes: 1000, timeoutMs: 5000 });
    expect(await feeds.get(`${base}/etag/secdb/missing.json`)).toMatchObject({ ok: false, status: 404 });
    expect(await feeds.get(`${base}/big/osv/osv-schema.json`)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/over 1000 bytes/),
    });
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await feeds.get(`http://127.0.0.1:${port}/x.json`)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/request failed/),
    });
  });
});
