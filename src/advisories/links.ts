import type { Ecosystem } from "./types.js";

/** A page a reader can open for a vulnerability id. */
export function advisoryUrl(id: string, ecosystem: Ecosystem): string {
  if (/^GHSA-/i.test(id)) return `https://github.com/advisories/${id}`;
  if (/^CVE-/i.test(id)) {
    return ecosystem === "alpine"
      ? `https://security.alpinelinux.org/vuln/${id}`
      : `https://nvd.nist.gov/vuln/detail/${id}`;
  }
  return `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
}
