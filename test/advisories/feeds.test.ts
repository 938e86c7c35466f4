import { describe, expect, it } from "vitest";
import { parseOsv, parseSecdb, type Advisory, type Ecosystem } from "../../src/advisories/index.js";
import { sharedDir, sharedText } from "./shared.js";

const secdbFiles: Record<string, { ecosystem: Ecosystem; expected: Partial<Advisory>[]; problems?: number }> = {
  "alpine-311-main.json": {
    ecosystem: "alpine",
    expected: [
      {
        id: "CVE-2018-1333",
        package: "apache2",
        release: "v3.11",
        fixedIn: "2.4.34-r0",
        affectedRanges: [{ introduced: "0", fixed: "2.4.34-r0" }],
        url: "https://security.alpinelinux.org/vuln/CVE-2018-1333",
      },
      { id: "CVE-2018-8011", package: "apache2", release: "v3.11", fixedIn: "2.4.34-r0" },
    ],
  },
  // "2.8.0-r0": {} lists nothing: no advisory, no problem.
  "alpine-312-main.json": {
    ecosystem: "alpine",
    expected: [{ id: "CVE-2018-16876", package: "ansible", release: "v3.12", fixedIn: "2.7.9-r0" }],
  },
  "alpine-edge-main.json": {
    ecosystem: "alpine",
    expected: [
      { id: "CVE-2021-30139", package: "apk-tools", release: "edge", fixedIn: "2.12.5-r0" },
      { id: "CVE-2021-36159", package: "apk-tools", release: "edge", fixedIn: "2.12.6-r0" },
    ],
  },
  "chainguard-security.json": {
    ecosystem: "chainguard",
    expected: [
      {
        id: "CVE-2022-38126",
        package: "binutils",
        fixedIn: "2.39-r1",
        url: "https://nvd.nist.gov/vuln/detail/CVE-2022-38126",
      },
      { id: "CVE-2022-38533", package: "binutils", fixedIn: "2.39-r2" },
      { id: "CVE-2022-38128", package: "binutils", fixedIn: "2.39-r3" },
    ],
  },
  "wolfi-security.json": {
    ecosystem: "wolfi",
    expected: [
      { id: "CVE-2022-38126", package: "binutils", fixedIn: "2.39-r1", ecosystem: "wolfi" },
      { id: "CVE-2022-38533", package: "binutils", fixedIn: "2.39-r2" },
      { id: "CVE-2022-38128", package: "binutils", fixedIn: "2.39-r3" },
    ],
  },
};

describe("parseSecdb on shared/advisories/secdb", () => {
  it("covers every file", () => {
    expect(sharedDir("advisories/secdb")).toEqual(Object.keys(secdbFiles).sort());
  });
  it.each(Object.entries(secdbFiles))("%s", (file, { ecosystem, expected }) => {
    const feed = parseSecdb(sharedText(`advisories/secdb/${file}`), ecosystem);
    expect(feed.problems).toEqual([]);
    expect(feed.advisories).toEqual(expected.map((e) => expect.objectContaining({ ecosystem, aliases: [], ...e })));
  });
  it("takes version 0 as never affected", () => {
    const feed = parseSecdb(
      { packages: [{ pkg: { name: "musl", secfixes: { "0": ["CVE-2019-1"], "1.2.2-r1": ["CVE-2020-28928"] } } }] },
      "alpine",
    );
    expect(feed.advisories[0]).toEqual({
      id: "CVE-2019-1",
      aliases: [],
      package: "musl",
      ecosystem: "alpine",
      affectedRanges: [],
      url: expect.any(String),
    });
    expect(feed.advisories[0]).not.toHaveProperty("fixedIn");
    expect(feed.advisories[1]?.affectedRanges).toEqual([{ introduced: "0", fixed: "1.2.2-r1" }]);
  });
  it("reads ids with notes and extra ids, and reports what it cannot read", () => {
    const feed = parseSecdb(
      JSON.stringify({
        packages: [
          {
            pkg: {
              name: "a",
              secfixes: {
                "1-r0": ["CVE-2017-2616 (+ regression fix)", "CVE-2020-1 GHSA-aaaa-bbbb-cccc", 42],
                "2-r0": "x",
              },
            },
          },
          { nope: 1 },
        ],
      }),
      "wolfi",
    );
    expect(feed.advisories.map((a) => [a.id, a.aliases])).toEqual([
      ["CVE-2017-2616", []],
      ["CVE-2020-1", ["GHSA-aaaa-bbbb-cccc"]],
    ]);
    expect(feed.problems).toEqual([
      expect.stringMatching(/unreadable id 42/),
      expect.stringMatching(/not a list/),
      expect.stringMatching(/packages\[1\]/),
    ]);
  });
  it("never throws on bad input", () => {
    expect(parseSecdb("{", "alpine")).toEqual({ advisories: [], problems: [expect.stringMatching(/not JSON/)] });
    expect(parseSecdb(null, "alpine")).toEqual({ advisories: [], problems: ["no packages list"] });
  });
});

const cvss = (score: string) => ({ type: "CVSS_V3", score });

describe("parseOsv on shared/advisories/osv", () => {
  it("reads Chainguard CGA records: upstream ids become aliases, Wolfi and Chainguard packages apart", () => {
    const feed = parseOsv(sharedText("advisories/osv/CGA-224q-ccj5-2p53.json"));
    expect(feed.problems).toEqual([]);
    expect(feed.advisories.map((a) => [a.ecosystem, a.package, a.fixedIn])).toEqual([
      ["chainguard", "haproxy-2.2", "2.2.34-r0"],
      ["chainguard", "haproxy-2.8", "2.8.18-r0"],
      ["wolfi", "haproxy-3.0", "3.0.10-r0"],
      ["wolfi", "haproxy-3.1", "3.1.7-r0"],
    ]);
    expect(feed.advisories[0]).toEqual({
      id: "CGA-224q-ccj5-2p53",
      aliases: ["CVE-2025-32464", "GHSA-frg5-h47x-75j9"],
      package: "haproxy-2.2",
      ecosystem: "chainguard",
      fixedIn: "2.2.34-r0",
      affectedRanges: [{ introduced: "0", fixed: "2.2.34-r0" }],
      severity: cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N"),
      summary: "HAProxy: HTTP request smuggling via malformed header",
      url: "https://osv.dev/vulnerability/CGA-224q-ccj5-2p53",
    });
  });

  it("reads fixed 0 as a range that holds no version, with no fixedIn", () => {
    const feed = parseOsv(sharedText("advisories/osv/CGA-xcpc-gm23-prj9.json"));
    const compat = feed.advisories.find((a) => a.package === "syncthing-compat");
    expect(compat?.affectedRanges).toEqual([{ introduced: "0", fixed: "0" }]);
    expect(compat).not.toHaveProperty("fixedIn");
    expect(feed.advisories).toHaveLength(4);
  });

  it("reads CGA-22hv-wp9q-4779", () => {
    const feed = parseOsv(sharedText("advisories/osv/CGA-22hv-wp9q-4779.json"));
    expect(feed.advisories.map((a) => `${a.ecosystem}/${a.package}@${a.fixedIn}`)).toEqual([
      "chainguard/langfuse-3-worker@3.153.0-r0",
      "chainguard/langfuse-fips-3-worker@3.152.0-r0",
      "wolfi/langfuse-3-worker@3.153.0-r0",
    ]);
  });

  it("reads a Debian DSA with its release and no severity", () => {
    const feed = parseOsv(sharedText("advisories/osv/DSA-3029-1.json"));
    expect(feed).toEqual({
      advisories: [
        {
          id: "DSA-3029-1",
          aliases: ["CVE-2014-3616"],
          package: "nginx",
          ecosystem: "debian",
          release: "7",
          fixedIn: "1.2.1-2.2+wheezy3",
          affectedRanges: [{ introduced: "0", fixed: "1.2.1-2.2+wheezy3" }],
          summary: "nginx - security update",
          url: "https://osv.dev/vulnerability/DSA-3029-1",
        },
      ],
      problems: [],
    });
  });

  it("maps only real OSV ecosystem names (shared osv-ecosystems.json)", () => {
    const known = Object.keys(JSON.parse(sharedText("advisories/osv/osv-ecosystems.json")) as object);
    for (const name of ["Alpine", "Wolfi", "Chainguard", "Debian"]) expect(known).toContain(name);
  });

  it("reads last_affected, open ranges and explicit versions; skips GIT ranges and other ecosystems", () => {
    const feed = parseOsv({
      id: "X-1",
      affected: [
        {
          package: { ecosystem: "Alpine:v3.18", name: "openssl" },
          ranges: [
            {
              type: "ECOSYSTEM",
              events: [{ introduced: "3.0.0-r0" }, { last_affected: "3.0.2-r0" }, { introduced: "3.1.0-r0" }],
            },
            { type: "GIT", events: [{ introduced: "abc" }] },
          ],
          versions: ["1.1.1k-r0"],
        },
        { package: { ecosystem: "PyPI", name: "requests" }, ranges: [] },
      ],
    });
    expect(feed.advisories[0]).toMatchObject({
      ecosystem: "alpine",
      release: "v3.18",
      affectedRanges: [
        { introduced: "3.0.0-r0", lastAffected: "3.0.2-r0" },
        { introduced: "3.1.0-r0" },
        { introduced: "1.1.1k-r0", lastAffected: "1.1.1k-r0" },
      ],
    });
    expect(feed.advisories[0]).not.toHaveProperty("fixedIn");
    expect(feed.problems).toEqual([
      expect.stringMatching(/GIT range skipped/),
      expect.stringMatching(/"PyPI" of requests is not supported/),
    ]);
  });

  it("never throws on bad input", () => {
    expect(parseOsv("not json").problems).toEqual([expect.stringMatching(/not JSON/)]);
    expect(parseOsv({ affected: [] }).problems).toEqual(["OSV record without id"]);
    expect(parseOsv({ id: "X", affected: [{}] }).problems).toEqual([expect.stringMatching(/no package name/)]);
  });
});
