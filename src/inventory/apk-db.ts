import type { InstalledPackage, ParsedDatabase } from "./types.js";
import { ProblemList, splitStanzas } from "./stanzas.js";

/**
 * Reads apk's `lib/apk/db/installed`: blocks of "K:value" lines separated by blank lines
 * (P name, V version, o origin, A arch). A block without P and V, or with lines that are not
 * "K:value", becomes a problem; the other blocks still count. Reads at most `maxStanzas` blocks.
 */
export function parseApkInstalled(text: string, file?: string, maxStanzas = Infinity): ParsedDatabase {
  const packages: InstalledPackage[] = [];
  const problems = new ProblemList(file);
  let stanzas = 0;
  for (const stanza of splitStanzas(text)) {
    if (++stanzas > maxStanzas) return { packages, problems: problems.list(), stanzas: maxStanzas, truncated: true };
    const fields = new Map<string, string>();
    let bad: string | undefined;
    for (const l of stanza.lines) {
      if (!/^[A-Za-z]:/.test(l)) {
        bad = l;
        break;
      }
      // Only the first value of each key matters here (R:, Z: and friends repeat).
      if (!fields.has(l[0]!)) fields.set(l[0]!, l.slice(2));
    }
    if (bad !== undefined) {
      problems.add(stanza.line, `not an apk field line: ${JSON.stringify(bad.slice(0, 60))}`);
      continue;
    }
    const name = fields.get("P");
    const version = fields.get("V");
    if (!name || !version) {
      problems.add(stanza.line, "package block without P: name or V: version");
      continue;
    }
    const origin = fields.get("o");
    const arch = fields.get("A");
    packages.push({ name, version, ...(origin ? { source: origin } : {}), ...(arch ? { arch } : {}) });
  }
  return { packages, problems: problems.list(), stanzas };
}
