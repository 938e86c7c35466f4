/** Version ordering of OS package managers: apk (Alpine, Wolfi, Chainguard) and dpkg (Debian, Ubuntu). */
export { compareApkVersions, isValidApkVersion, matchApkVersion } from "./apk.js";
export {
  compareDpkgVersions,
  compareDpkgVersionParts,
  isValidDpkgVersion,
  parseDpkgVersion,
  type DpkgVersion,
} from "./dpkg.js";

/** A total order over version strings of one package manager. */
export type CompareVersions = (a: string, b: string) => -1 | 0 | 1;
