import { describe, expect, it } from "vitest";
import { advisoriesForBump, isAffected, parseOsv, parseSecdb, versionOrderFor } from "../../src/advisories/index.js";
import {
  compareApkVersions,
  compareDpkgVersions,
  parseApkInstalled,
  parseDpkgStatus,
  type InstalledPackage,
} from "../../src/inventory/index.js";
import { sharedText } from "./shared.js";

const secdb = (file: string, ecosystem: "alpine" | "wolfi" | "chainguard") =>
  parseSecdb(sharedText(`advisories/secdb/${file}`), ecosystem).advisories;
const osv = (file: string) => parseOsv(sharedText(`advisories/osv/${file}`)).advisories;

describe("isAffected", () => {
  const [cve30139, cve36159] = secdb("alpine-edge-main.json", "alpine");
  it.each([
    ["2.12.4-r0", true, true],
    ["2.12.5-r0", false, true],
    ["2.12.5_rc1-r0", true, true], // a pre-release of the fix is still before it
    ["2.12.6-r0", false, false],
    ["2.12.10-r0", false, false], // numeric, not text, order
  ])("apk-tools %s: 30139=%s 36159=%s", (version, a, b) => {
    expect(isAffected(cve30139!, version, compareApkVersions)).toBe(a);
    expect(isAffected(cve36159!, version, compareApkVersions)).toBe(b);
  });

  it.each([
    ["1.2.1-2.2+wheezy2", true],
    ["1.2.1-2.2+wheezy3~bpo1", true], // "~" sorts before the fixed version
    ["1.2.1-2.2+wheezy3", false],
    ["1:1.0-1", false], // an epoch outranks everything
  ])("Debian nginx %s affected=%s", (version, affected) => {
    const [dsa] = osv("DSA-3029-1.json");
    expect(isAffected(dsa!, version, compareDpkgVersions)).toBe(affected);
  });

  it("fixed 0 holds no version; last_affected is inclusive; versions match exactly", () => {
    const compat = osv("CGA-xcpc-gm23-prj9.json").find((a) => a.package === "syncthing-compat")!;
    expect(isAffected(compat, "2.0.13-r0", compareApkVersions)).toBe(false);
    const [x] = parseOsv({
      id: "X",
      affected: [
        {
          package: { ecosystem: "Wolfi", name: "p" },
          ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "1.0-r0" }, { last_affected: "1.2-r0" }] }],
          versions: ["0.5-r3"],
        },
      ],
    }).advisories;
    expect(
      ["0.9-r0", "1.0-r0", "1.2-r0", "1.2-r1", "0.5-r3"].map((v) => isAffected(x!, v, compareApkVersions)),
    ).toEqual([false, true, true, false, true]);
  });

  it("version 0 in secdb matches nothing", () => {
    const [never] = parseSecdb(
      { packages: [{ pkg: { name: "a", secfixes: { "0": ["CVE-1-1"] } } }] },
      "alpine",
    ).advisories;
    expect(isAffected(never!, "0.0.1-r0", compareApkVersions)).toBe(false);
  });

  it("picks apk order for Alpine, Wolfi, Chainguard and dpkg order for Debian", () => {
    expect(versionOrderFor("debian")).toBe(compareDpkgVersions);
    for (const e of ["alpine", "wolfi", "chainguard"] as const) expect(versionOrderFor(e)).toBe(compareApkVersions);
  });
});

const withVersion = (packages: InstalledPackage[], name: string, version: string) =>
  packages.map((p) => (p.name === name ? { ...p, version } : p));

describe("advisoriesForBump", () => {
  const alpine = parseApkInstalled(sharedText("pkgdb/apk/alpine-multiple-2.installed")).packages;
  const edge = secdb("alpine-edge-main.json", "alpine");

  it("lists what an Alpine bump fixes, with link and fixing version", () => {
    const old = withVersion(alpine, "apk-tools", "2.12.5-r0");
    const r = advisoriesForBump(old, alpine, edge, "alpine");
    expect(r.introduced).toEqual([]);
    expect(r.fixed).toEqual([
      {
        id: "CVE-2021-36159",
        aliases: [],
        package: "apk-tools",
        oldVersion: "2.12.5-r0",
        newVersion: "2.12.9-r3",
        fixedIn: "2.12.6-r0",
        url: "https://security.alpinelinux.org/vuln/CVE-2021-36159",
        via: "version-change",
      },
    ]);
  });

  it("lists what a downgrade brings back, and nothing for an unchanged image", () => {
    const old = withVersion(alpine, "apk-tools", "2.12.4-r0");
    expect(advisoriesForBump(alpine, old, edge, "alpine").introduced.map((a) => a.id)).toEqual([
      "CVE-2021-30139",
      "CVE-2021-36159",
    ]);
    expect(advisoriesForBump(old, old, edge, "alpine")).toEqual({ fixed: [], introduced: [] });
  });

  it("matches packages by origin: one entry per advisory even when several subpackages share it", () => {
    const feed = parseSecdb(
      { packages: [{ pkg: { name: "openssl", secfixes: { "1.1.1q-r0": ["CVE-2022-2097"] } } }] },
      "alpine",
    ).advisories;
    const old = withVersion(withVersion(alpine, "libssl1.1", "1.1.1p-r0"), "libcrypto1.1", "1.1.1p-r0");
    const r = advisoriesForBump(old, alpine, feed, "alpine");
    expect(r.fixed).toEqual([
      expect.objectContaining({
        id: "CVE-2022-2097",
        package: "openssl",
        oldVersion: "1.1.1p-r0",
        newVersion: "1.1.1q-r0",
      }),
    ]);
  });

  it("counts a removed vulnerable package as fixed and an added one as introduced", () => {
    const wolfi = secdb("wolfi-security.json", "wolfi");
    const binutils = { name: "binutils", version: "2.39-r1", source: "binutils" };
    const removed = advisoriesForBump([binutils], [], wolfi, "wolfi");
    expect(removed.fixed.map((a) => [a.id, a.via, a.oldVersion, a.newVersion])).toEqual([
      ["CVE-2022-38128", "removed", "2.39-r1", undefined],
      ["CVE-2022-38533", "removed", "2.39-r1", undefined],
    ]);
    const added = advisoriesForBump([], [binutils], wolfi, "wolfi");
    expect(added.introduced.map((a) => [a.id, a.via])).toEqual([
      ["CVE-2022-38128", "added"],
      ["CVE-2022-38533", "added"],
    ]);
  });

  it("keeps to the ecosystem asked for (CGA records hold Wolfi and Chainguard packages)", () => {
    const cga = osv("CGA-224q-ccj5-2p53.json");
    const old = [{ name: "haproxy-3.0", version: "3.0.9-r2" }];
    const now = [{ name: "haproxy-3.0", version: "3.0.10-r0" }];
    expect(advisoriesForBump(old, now, cga, "chainguard").fixed).toEqual([]);
    expect(advisoriesForBump(old, now, cga, "wolfi").fixed).toEqual([
      {
        id: "CGA-224q-ccj5-2p53",
        aliases: ["CVE-2025-32464", "GHSA-frg5-h47x-75j9"],
        package: "haproxy-3.0",
        oldVersion: "3.0.9-r2",
        newVersion: "3.0.10-r0",
        fixedIn: "3.0.10-r0",
        severity: { type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N" },
        url: "https://osv.dev/vulnerability/CGA-224q-ccj5-2p53",
        via: "version-change",
      },
    ]);
  });

  it("reports one entry when two feeds name the same vulnerability (id or alias)", () => {
    const cga = osv("CGA-224q-ccj5-2p53.json");
    const sec = parseSecdb(
      { packages: [{ pkg: { name: "haproxy-3.0", secfixes: { "3.0.10-r0": ["CVE-2025-32464"] } } }] },
      "wolfi",
    ).advisories;
    const r = advisoriesForBump(
      [{ name: "haproxy-3.0", version: "3.0.9-r2" }],
      [{ name: "haproxy-3.0", version: "3.0.10-r0" }],
      [...cga, ...sec],
      "wolfi",
    );
    expect(r.fixed.map((a) => a.id)).toEqual(["CGA-224q-ccj5-2p53"]);
  });

  it("uses Debian source names and source versions with dpkg order", () => {
    const dsa = osv("DSA-3029-1.json");
    const stanza = (version: string, source: string) =>
      parseDpkgStatus(
        `Package: nginx-common\nStatus: install ok installed\nArchitecture: all\nSource: ${source}\nVersion: ${version}\n`,
      ).packages;
    // binNMU-style: the binary version differs from the source version the DSA speaks of.
    const old = stanza("1.2.1-2.2+wheezy2+b1", "nginx (1.2.1-2.2+wheezy2)");
    const now = stanza("1.2.1-2.2+wheezy10", "nginx");
    const r = advisoriesForBump(old, now, dsa, "debian");
    expect(r.fixed).toEqual([
      expect.objectContaining({
        id: "DSA-3029-1",
        package: "nginx",
        oldVersion: "1.2.1-2.2+wheezy2",
        newVersion: "1.2.1-2.2+wheezy10",
        via: "version-change",
      }),
    ]);
    // dpkg compares the digits of "wheezy10" and "wheezy3" as numbers: going back is a downgrade into the bug.
    expect(advisoriesForBump(now, old, dsa, "debian").introduced.map((a) => a.id)).toEqual(["DSA-3029-1"]);
  });
});
