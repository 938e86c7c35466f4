import type { InstalledPackage, ParsedDatabase } from "./types.js";
import { ProblemList, splitStanzas, type Stanza } from "./stanzas.js";
import { isValidDpkgVersion } from "./versions/dpkg.js";

// The fields read; others are checked for form but not kept (a Description may be huge).
const KEPT = new Set(["package", "version", "status", "source", "architecture"]);

/** RFC 822-style fields; continuation lines (leading space or tab) are joined to the previous field. */
function readFields(stanza: Stanza): Map<string, string> | string {
  const fields = new Map<string, string>();
  let last: string | null = null;
  for (const l of stanza.lines) {
    if (/^[ \t]/.test(l)) {
      if (last === null) return "continuation line before any field";
      if (KEPT.has(last)) fields.set(last, `${fields.get(last)}\n${l.trim()}`);
      continue;
    }
    const m = /^([^\s:]+):[ \t]*(.*)$/.exec(l);
    if (!m) return `not a field line: ${JSON.stringify(l.slice(0, 60))}`;
    last = m[1]!.toLowerCase();
    if (KEPT.has(last)) fields.set(last, m[2]!.trim());
  }
  return fields;
}

/**
 * Reads dpkg's `var/lib/dpkg/status`, or one distroless `var/lib/dpkg/status.d/<name>` file.
 * Keeps stanzas whose Status ends in "installed", and stanzas without Status (distroless
 * writes none). Stanzas without Package, with a missing or invalid Version, or that are not
 * field lines, become problems; the others still count. Reads at most `maxStanzas` stanzas.
 */
export function parseDpkgStatus(text: string, file?: string, maxStanzas = Infinity): ParsedDatabase {
  const packages: InstalledPackage[] = [];
  const problems = new ProblemList(file);
  let stanzas = 0;
  for (const stanza of splitStanzas(text)) {
    if (++stanzas > maxStanzas) return { packages, problems: problems.list(), stanzas: maxStanzas, truncated: true };
    const fields = readFields(stanza);
    const problem = (message: string) => problems.add(stanza.line, message);
    if (typeof fields === "string") {
      problem(fields);
      continue;
    }
    const name = fields.get("package");
    const version = fields.get("version");
    if (!name) {
      problem("stanza without Package");
      continue;
    }
    if (!version) {
      problem(`package ${name} has no Version`);
      continue;
    }
    if (!isValidDpkgVersion(version)) {
      problem(`package ${name} has an invalid Version ${JSON.stringify(version)}`);
      continue;
    }
    const status = fields.get("status");
    // "deinstall ok config-files" and friends: only config files are left, not the package.
    if (status !== undefined && !/(^|\s)installed$/.test(status)) continue;
    packages.push({ name, version, ...source(fields.get("source")), ...arch(fields.get("architecture")) });
  }
  return { packages, problems: problems.list(), stanzas };
}

// "Source: gcc-5 (5.1.1-12ubuntu1)" names the source package and, when it differs, its version.
function source(value: string | undefined): Pick<InstalledPackage, "source" | "sourceVersion"> {
  const m = value ? /^(\S+)(?:\s+\((\S+)\))?$/.exec(value) : null;
  if (!m) return {};
  return m[2] ? { source: m[1]!, sourceVersion: m[2] } : { source: m[1]! };
}

function arch(value: string | undefined): Pick<InstalledPackage, "arch"> {
  return value ? { arch: value } : {};
}
