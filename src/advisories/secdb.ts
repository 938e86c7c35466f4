import { asRecord, readJson } from "./json.js";
import { advisoryUrl } from "./links.js";
import type { Advisory, Ecosystem, ParsedFeed } from "./types.js";

/**
 * Reads a secdb JSON document (Alpine secdb, Wolfi and Chainguard `security.json`):
 * `packages[].pkg.secfixes` maps the version that fixed something to its CVE ids. Every
 * version before the fixing one is taken as affected.
 *
 * Version "0" lists ids that never affected the package (a rejected CVE; Alpine's security
 * team: maintainers "attribute a security fix to version 0" to reject one,
 * https://ariadne.space/2021/06/04/a-slightly-delayed-monthly-status-update/). Those come back
 * with no affected ranges, so they match nothing.
 */
export function parseSecdb(input: unknown, ecosystem: Ecosystem): ParsedFeed {
  const problems: string[] = [];
  const doc = readJson(input);
  if (!doc.ok) return { advisories: [], problems: [doc.problem] };
  const root = asRecord(doc.value);
  if (!root || !Array.isArray(root.packages)) return { advisories: [], problems: ["no packages list"] };
  const release = typeof root.distroversion === "string" ? root.distroversion : undefined;
  const advisories: Advisory[] = [];
  root.packages.forEach((entry, index) => {
    const pkg = asRecord(asRecord(entry)?.pkg);
    const name = pkg?.name;
    const secfixes = asRecord(pkg?.secfixes);
    if (typeof name !== "string" || !secfixes) {
      problems.push(`packages[${index}] has no pkg.name or pkg.secfixes`);
      return;
    }
    for (const [version, ids] of Object.entries(secfixes)) {
      if (!Array.isArray(ids)) {
        // Seen in real feeds as "2.8.0-r0": {}: a version with nothing listed.
        if (!isEmptyObject(ids)) problems.push(`${name} ${version}: secfixes entry is not a list`);
        continue;
      }
      for (const text of ids) {
        const parsed = typeof text === "string" ? parseIds(text) : null;
        if (!parsed) {
          problems.push(`${name} ${version}: unreadable id ${JSON.stringify(text)}`);
          continue;
        }
        const neverAffected = version === "0";
        advisories.push({
          id: parsed.id,
          aliases: parsed.aliases,
          package: name,
          ecosystem,
          ...(release ? { release } : {}),
          ...(neverAffected ? {} : { fixedIn: version }),
          affectedRanges: neverAffected ? [] : [{ introduced: "0", fixed: version }],
          url: advisoryUrl(parsed.id, ecosystem),
        });
      }
    }
  });
  return { advisories, problems };
}

// Entries look like "CVE-2021-1234", "CVE-2017-2616 (+ regression fix)" or "CVE-2020-1 GHSA-xxxx-xxxx-xxxx".
function parseIds(text: string): { id: string; aliases: string[] } | null {
  const ids = text.split(/\s+/).filter((t) => /^[A-Z][A-Z0-9]*-[A-Za-z0-9-]+$/.test(t));
  const [id, ...aliases] = ids;
  return id ? { id, aliases } : null;
}

function isEmptyObject(value: unknown): boolean {
  const record = asRecord(value);
  return record !== null && Object.keys(record).length === 0;
}
