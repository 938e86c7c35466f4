import { describe, expect, it } from "vitest";
import { parseApkInstalled, parseDpkgStatus } from "../../src/inventory/index.js";
import { sharedDir, sharedText } from "./shared.js";

/** What each file in shared/pkgdb must give: package count, some packages, problem messages. */
interface Expected {
  count: number;
  contains?: object[];
  problems: RegExp[];
}

const apkFiles: Record<string, Expected> = {
  // First block is prose, not "K:value" lines; the second block is a good package.
  "alpine-corrupt.installed": {
    count: 1,
    contains: [{ name: "alpine-baselayout-data", version: "3.2.0-r22", source: "alpine-baselayout", arch: "x86_64" }],
    problems: [/not an apk field line/],
  },
  "alpine-multiple-1.installed": {
    count: 4,
    contains: [{ name: "musl", version: "1.2.4_git20230717-r4", source: "musl", arch: "x86_64" }],
    problems: [],
  },
  "alpine-multiple-2.installed": {
    count: 14,
    contains: [{ name: "libssl1.1", version: "1.1.1q-r0", source: "openssl", arch: "x86_64" }],
    problems: [],
  },
  "alpine-scalibr.installed": {
    count: 15,
    contains: [{ name: "busybox-binsh", version: "1.36.0-r9", source: "busybox", arch: "x86_64" }],
    problems: [],
  },
  "wolfi-apko.installed": {
    count: 14,
    contains: [{ name: "zlib", version: "1.2.12-r3", source: "zlib", arch: "aarch64" }],
    problems: [],
  },
};

const dpkgFiles: Record<string, Expected> = {
  // An empty "Package:" stanza first, then a real one.
  "debian-image.status": {
    count: 1,
    contains: [{ name: "libpam-runtime", version: "1.1.8-3.6", source: "pam", arch: "all" }],
    problems: [/without Package/],
  },
  // 91 stanzas, one "deinstall ok config-files" (git) that must not count.
  "ubuntu-valid.status": {
    count: 90,
    contains: [
      { name: "liblzma5", source: "xz-utils", sourceVersion: "5.1.1alpha+20120614-2", arch: "amd64" },
      { name: "bash", arch: "amd64" },
    ],
    problems: [],
  },
  "corrupted.status": {
    count: 4,
    contains: [{ name: "libgcc1", version: "1:5.1.1-12ubuntu1", source: "gcc-5", sourceVersion: "5.1.1-12ubuntu1" }],
    problems: [/brokenPackageWithNoVersion.* has no Version/, /invalidpkg has an invalid Version "1:5.#"/],
  },
  "status.d/coreutils-relationships": {
    count: 9,
    contains: [{ name: "libc6", version: "2.36-9+deb12u1", source: "glibc", arch: "arm64" }],
    problems: [],
  },
  // Misspelled field names and a line that is not a field at all.
  "status.d/corrupt": { count: 0, problems: [/not a field line/] },
  // One installed kernel and one removed that left only config files.
  "status.d/deinstall": {
    count: 1,
    contains: [
      { name: "linux-image-6.14.0-1012-aws", version: "6.14.0-1012.12~24.04.1", source: "linux-signed-aws-6.14" },
    ],
    problems: [],
  },
  // Distroless: no Status field at all.
  "status.d/distroless-libsqlite3-0": {
    count: 1,
    contains: [{ name: "libsqlite3-0", version: "3.34.1-3", source: "sqlite3", arch: "arm64" }],
    problems: [],
  },
  "status.d/empty": { count: 0, problems: [/without Package/] },
  "status.d/multiple": {
    count: 2,
    contains: [
      { name: "tzdata", version: "2020a-0+deb10u1", source: "tzdata-dev", arch: "all" },
      { name: "util-linux", version: "2.33.1-0.1", arch: "amd64" },
    ],
    problems: [/without Package/, /no-version has no Version/],
  },
  "status.d/single": {
    count: 1,
    contains: [{ name: "apt", version: "1.8.2", source: "apt-dev", arch: "amd64" }],
    problems: [],
  },
};

function check(result: ReturnType<typeof parseApkInstalled>, expected: Expected): void {
  expect(result.packages).toHaveLength(expected.count);
  for (const p of expected.contains ?? []) expect(result.packages).toContainEqual(expect.objectContaining(p));
  expect(result.problems.map((p) => p.message)).toEqual(expected.problems.map((re) => expect.stringMatching(re)));
  for (const p of result.packages) {
    expect(p.name).not.toBe("");
    expect(p.version).not.toBe("");
  }
}

describe("parseApkInstalled on shared/pkgdb/apk", () => {
  it("covers every file", () => {
    expect(sharedDir("pkgdb/apk")).toEqual(Object.keys(apkFiles).sort());
  });
  it.each(Object.entries(apkFiles))("%s", (file, expected) => {
    check(parseApkInstalled(sharedText(`pkgdb/apk/${file}`), file), expected);
  });
  it("names the file and line of a problem", () => {
    const r = parseApkInstalled(sharedText("pkgdb/apk/alpine-corrupt.installed"), "lib/apk/db/installed");
    expect(r.problems).toEqual([expect.objectContaining({ file: "lib/apk/db/installed", line: 1 })]);
  });
  it("reports a block without V: and keeps the others", () => {
    const r = parseApkInstalled("P:a\nV:1-r0\n\nP:b\nA:x86_64\n\nP:c\nV:2-r1\n");
    expect(r.packages.map((p) => p.name)).toEqual(["a", "c"]);
    expect(r.problems).toEqual([
      { file: undefined, line: 4, message: expect.stringMatching(/without P: name or V: version/) },
    ]);
  });
});

describe("parseDpkgStatus on shared/pkgdb/dpkg", () => {
  it("covers every file", () => {
    const all = [
      ...sharedDir("pkgdb/dpkg").filter((f) => f !== "status.d"),
      ...sharedDir("pkgdb/dpkg/status.d").map((f) => `status.d/${f}`),
    ];
    expect(all.sort()).toEqual(Object.keys(dpkgFiles).sort());
  });
  it.each(Object.entries(dpkgFiles))("%s", (file, expected) => {
    check(parseDpkgStatus(sharedText(`pkgdb/dpkg/${file}`), file), expected);
  });
  it("joins continuation lines and handles CRLF", () => {
    const r = parseDpkgStatus(
      "Package: a\r\nStatus: install ok installed\r\nDescription: x\r\n more\r\nVersion: 1.0-1\r\n",
    );
    expect(r).toEqual({ packages: [{ name: "a", version: "1.0-1" }], problems: [], stanzas: 1 });
  });
  it("keeps the first 100 problems of a file and counts the rest, reading stanza by stanza", () => {
    const r = parseDpkgStatus("x\n\n".repeat(250) + "Package: a\nVersion: 1\n", "status");
    expect(r.packages).toEqual([{ name: "a", version: "1" }]);
    expect(r.problems).toHaveLength(101);
    expect(r.problems[99]).toEqual({ file: "status", line: 199, message: 'not a field line: "x"' });
    expect(r.problems[100]).toEqual({ file: "status", message: "150 more problems not listed" });
  });
  it("stops after maxStanzas and says the result is incomplete", () => {
    const r = parseDpkgStatus("Package: a\nVersion: 1\n\nPackage: b\nVersion: 1\n", "status", 1);
    expect(r).toEqual({ packages: [{ name: "a", version: "1" }], problems: [], stanzas: 1, truncated: true });
  });
  it("skips half-installed and removed packages without calling them problems", () => {
    const r = parseDpkgStatus(
      "Package: a\nStatus: install ok half-installed\nVersion: 1\n\nPackage: b\nStatus: purge ok not-installed\nVersion: 1\n",
    );
    expect(r).toEqual({ packages: [], problems: [], stanzas: 2 });
  });
});
