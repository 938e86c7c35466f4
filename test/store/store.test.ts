import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATION_NAMES, openStoreDir, STORE_FILE } from "../../src/store/index.js";
import { storeBackends } from "./backends.js";

const node = { registry: "docker.io", repository: "library/node", tag: "22" };
const alpine = { registry: "docker.io", repository: "library/alpine", tag: "3.20" };
const web = { installationId: 7, owner: "Acme", name: "Web" };
const api = { installationId: 7, owner: "acme", name: "api" };

const backends = storeBackends();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the SQLite data directory", () => {
  it("is created on first start, nested folders too, with the store file in it", async () => {
    const root = mkdtempSync(join(tmpdir(), "repin-store-"));
    dirs.push(root);
    const dir = join(root, "nested", ".repin");
    const store = await openStoreDir(dir);
    expect(store.location).toBe(join(dir, STORE_FILE));
    await store.close();
  });
});

describe.each(backends)("the store on $name", (backend) => {
  describe("migrations", () => {
    it("applies every migration once; a second start applies nothing and reads what the first wrote", async () => {
      const place = await backend.place();
      const first = await place();
      expect(first.applied).toEqual(MIGRATION_NAMES);
      await first.usages.replace(web, [{ ...node, path: "Dockerfile", digest: "sha256:a" }]);
      await first.close();

      const second = await place();
      expect(second.applied).toEqual([]);
      expect(await second.usages.usersOf(node)).toEqual([{ ...web, paths: ["Dockerfile"] }]);
    });
  });

  describe("the reverse index", () => {
    it("names the repositories and files that use a tag, and no others", async () => {
      const store = await backend.open();
      await store.usages.replace(web, [
        { ...node, path: "Dockerfile", digest: "sha256:n1" },
        { ...node, path: "docker/Dockerfile.dev", digest: "sha256:n1" },
        { ...alpine, path: "Dockerfile", digest: null },
      ]);
      await store.usages.replace(api, [{ ...node, path: "Dockerfile", digest: "sha256:n1" }]);
      expect(await store.usages.usersOf(node)).toEqual([
        { ...api, paths: ["Dockerfile"] },
        { ...web, paths: ["Dockerfile", "docker/Dockerfile.dev"] },
      ]);
      expect(await store.usages.usersOf(alpine)).toEqual([{ ...web, paths: ["Dockerfile"] }]);
      expect(await store.usages.usersOf({ ...node, tag: "20" })).toEqual([]);
    });

    it("replaces a repository's rows on each scan: a file that stopped using a tag stops counting", async () => {
      const store = await backend.open();
      await store.usages.replace(web, [
        { ...node, path: "Dockerfile", digest: null },
        { ...alpine, path: "Dockerfile", digest: null },
      ]);
      await store.usages.replace(web, [{ ...alpine, path: "Dockerfile", digest: null }]);
      expect(await store.usages.usersOf(node)).toEqual([]);
      expect((await store.usages.watched()).map((tag) => tag.tag)).toEqual(["3.20"]);
      await store.usages.replace(web, []);
      expect(await store.usages.watched()).toEqual([]);
    });

    it("lists each used tag once with its last known digest; a scan never overwrites a known digest", async () => {
      const store = await backend.open();
      await store.usages.replace(web, [
        { ...node, path: "Dockerfile", digest: "sha256:n1" },
        { ...node, path: "Dockerfile", digest: "sha256:n1" },
        { ...alpine, path: "Dockerfile", digest: null },
      ]);
      await store.usages.replace(api, [{ ...node, path: "Dockerfile", digest: "sha256:n2" }]);
      const watched = await store.usages.watched();
      expect(watched.map(({ recordedAt, ...tag }) => tag)).toEqual([
        { ...alpine, digest: null },
        { ...node, digest: "sha256:n1" },
      ]);
      await store.usages.recordDigest(node, "sha256:n2", 1234);
      expect((await store.usages.watched()).find((tag) => tag.tag === "22")).toEqual({
        ...node,
        digest: "sha256:n2",
        recordedAt: 1234,
      });
    });

    it("records a repository with thousands of files in one scan", async () => {
      const store = await backend.open();
      const uses = Array.from({ length: 2_345 }, (_, i) => ({ ...node, path: `svc${i}/Dockerfile`, digest: null }));
      await store.usages.replace(web, uses);
      expect((await store.usages.usersOf(node))[0]?.paths).toHaveLength(2_345);
    });
  });

  describe("pending work", () => {
    it("queues a repository once: the earliest upstream change is kept and the version goes up", async () => {
      const store = await backend.open();
      expect(await store.queue.enqueue({ ...web, reason: "tag moved", firstSeenAt: 2_000 })).toBe(true);
      expect(
        await store.queue.enqueue({ ...web, owner: "acme", name: "web", reason: "again", firstSeenAt: 1_000 }),
      ).toBe(false);
      expect(await store.queue.enqueue({ ...web, reason: "later", firstSeenAt: 3_000 })).toBe(false);
      expect(await store.queue.due(10_000, 10)).toEqual([
        { ...web, reason: "tag moved", firstSeenAt: 1_000, attempts: 0, notBefore: 2_000, version: 3 },
      ]);
    });

    it("hands out only work that is due, oldest upstream change first, up to the limit", async () => {
      const store = await backend.open();
      await store.queue.enqueue({ ...web, reason: "a", firstSeenAt: 500, notBefore: 5_000 });
      await store.queue.enqueue({ ...api, reason: "b", firstSeenAt: 900 });
      await store.queue.enqueue({ installationId: 8, owner: "o", name: "n", reason: "c", firstSeenAt: 100 });
      expect((await store.queue.due(1_000, 10)).map((work) => work.name)).toEqual(["n", "api"]);
      expect((await store.queue.due(1_000, 1)).map((work) => work.name)).toEqual(["n"]);
      expect((await store.queue.due(5_000, 10)).map((work) => work.name)).toEqual(["n", "Web", "api"]);
    });

    it("retries a failed job later with one attempt more", async () => {
      const store = await backend.open();
      await store.queue.enqueue({ ...web, reason: "a", firstSeenAt: 100 });
      const [work] = await store.queue.due(100, 1);
      await store.queue.retry(work!, 60_000);
      expect(await store.queue.due(59_999, 10)).toEqual([]);
      expect(await store.queue.due(60_000, 10)).toMatchObject([{ name: "Web", attempts: 1, notBefore: 60_000 }]);
    });

    it("keeps work that arrived while a job ran, and removes it once that is done too", async () => {
      const store = await backend.open();
      await store.queue.enqueue({ ...web, reason: "a", firstSeenAt: 100 });
      const [running] = await store.queue.due(100, 1);
      await store.queue.enqueue({ ...web, reason: "b", firstSeenAt: 200 });
      expect(await store.queue.complete(running!)).toBe(false);
      const [again] = await store.queue.due(200, 1);
      expect(again?.version).toBe(2);
      expect(await store.queue.complete(again!)).toBe(true);
      expect(await store.queue.due(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
    });

    it("survives a restart on the same data directory or database", async () => {
      const place = await backend.place();
      const first = await place();
      await first.queue.enqueue({ ...web, reason: "tag moved", firstSeenAt: 1_000 });
      await first.close();
      const second = await place();
      expect(await second.queue.due(1_000, 10)).toMatchObject([{ ...web, reason: "tag moved", firstSeenAt: 1_000 }]);
    });
  });
});
