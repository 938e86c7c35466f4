import { describe, expect, it } from "vitest";
import { compareApkVersions, compareDpkgVersions, diffPackages, parseApkInstalled } from "../../src/inventory/index.js";
import { sharedText } from "./shared.js";

describe("diffPackages", () => {
  it("diffs two real apk databases (Alpine 3.16-era vs 3.18-era)", () => {
    const older = parseApkInstalled(sharedText("pkgdb/apk/alpine-multiple-2.installed")).packages;
    const newer = parseApkInstalled(sharedText("pkgdb/apk/alpine-scalibr.installed")).packages;
    const d = diffPackages(older, newer, compareApkVersions);
    expect(d.added.map((p) => p.name)).toEqual(["busybox-binsh", "libcrypto3", "libssl3"]);
    expect(d.removed.map((p) => p.name)).toEqual(["libcrypto1.1", "libssl1.1"]);
    expect(d.upgraded).toContainEqual({ name: "musl", arch: "x86_64", from: "1.2.3-r0", to: "1.2.4-r0" });
    expect(d.upgraded.map((c) => c.name)).toEqual([...d.upgraded.map((c) => c.name)].sort());
    expect(d.upgraded.find((c) => c.name === "alpine-keys")).toBeUndefined(); // 2.4-r1 on both sides
    expect(d.downgraded).toEqual([]);
  });

  it("uses the given ordering, not text order", () => {
    const d = diffPackages(
      [
        { name: "x", version: "1:1.0-1" },
        { name: "y", version: "2.10-1" },
        { name: "z", version: "1.0" },
      ],
      [
        { name: "x", version: "2.0-1" },
        { name: "y", version: "2.9-1" },
        { name: "z", version: "1.00" },
      ],
      compareDpkgVersions,
    );
    expect(d.downgraded).toEqual([
      { name: "x", from: "1:1.0-1", to: "2.0-1" },
      { name: "y", from: "2.10-1", to: "2.9-1" },
    ]);
    expect(d.upgraded).toEqual([]); // 1.0 and 1.00 are the same Debian version
  });

  it("keeps Multi-Arch copies of one package apart", () => {
    const d = diffPackages(
      [
        { name: "libc6", version: "2.36-9", arch: "amd64" },
        { name: "libc6", version: "2.36-9", arch: "i386" },
      ],
      [
        { name: "libc6", version: "2.36-9+deb12u1", arch: "amd64" },
        { name: "libc6", version: "2.36-9+deb12u1", arch: "i386" },
      ],
      compareDpkgVersions,
    );
    expect(d.upgraded.map((c) => c.arch)).toEqual(["amd64", "i386"]);
    expect(d.added).toEqual([]);
  });
});
