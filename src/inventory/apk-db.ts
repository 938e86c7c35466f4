import type { DatabaseProblem, InstalledPackage, ParsedDatabase } from "./types.js";
import { splitStanzas } from "./stanzas.js";

/**
 * Reads apk's `lib/apk/db/installed`: blocks of "K:value" lines separated by blank lines
 * (P name, V version, o origin, A arch). A block without P and V, or with lines that are not
 * "K:value", becomes a problem; the other blocks still count.
 */
export function parseApkInstalled(text: string, file?: string): ParsedDatabase {
  const packages: InstalledPackage[] = [];
  const problems: DatabaseProblem[] = [];
  for (const stanza of splitStanzas(text)) {
    const fields = new Map<string, string>();
    const bad = stanza.lines.find((l) => !/^[A-Za-z]:/.test(l));
    if (bad !== undefined) {
      problems.push({ file, line: stanza.line, message: `not an apk field line: ${JSON.stringify(bad.slice(0, 60))}` });
      continue;
    }
    // Only the first value of each key matters here (R:, Z: and friends repeat).
    for (const l of stanza.lines) if (!fields.has(l[0]!)) fields.set(l[0]!, l.slice(2));
    const name = fields.get("P");
    const version = fields.get("V");
    if (!name || !version) {
      problems.push({ file, line: stanza.line, message: "package block without P: name or V: version" });
      continue;
    }
    const origin = fields.get("o");
    const arch = fields.get("A");
    packages.push({ name, version, ...(origin ? { source: origin } : {}), ...(arch ? { arch } : {}) });
  }
  return { packages, problems };
}
