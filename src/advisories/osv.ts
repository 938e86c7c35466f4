import { asRecord, asString, readJson } from "./json.js";
import { advisoryUrl } from "./links.js";
import type { Advisory, AffectedRange, Ecosystem, ParsedFeed, Severity } from "./types.js";

// OSV ecosystem names (before any ":release") that repin can match against images.
const ECOSYSTEMS: Record<string, Ecosystem> = {
  Alpine: "alpine",
  Wolfi: "wolfi",
  Chainguard: "chainguard",
  Debian: "debian",
};

/**
 * Reads one OSV record (https://ossf.github.io/osv-schema/) into one advisory per affected
 * package of a supported ecosystem. Chainguard's records put CVE/GHSA ids in `upstream`,
 * others in `aliases`; both become aliases.
 */
export function parseOsv(input: unknown): ParsedFeed {
  const doc = readJson(input);
  if (!doc.ok) return { advisories: [], problems: [doc.problem] };
  const record = asRecord(doc.value);
  const id = asString(record?.id);
  if (!record || !id) return { advisories: [], problems: ["OSV record without id"] };
  const problems: string[] = [];
  const aliases = [...new Set([...strings(record.aliases), ...strings(record.upstream)])].filter((a) => a !== id);
  const recordSeverity = severityOf(record.severity);
  const summary = asString(record.summary);
  const advisories: Advisory[] = [];
  const affected = Array.isArray(record.affected) ? record.affected : [];
  affected.forEach((raw, index) => {
    const entry = asRecord(raw);
    const pkg = asRecord(entry?.package);
    const name = asString(pkg?.name);
    const [ecosystemName = "", release] = (asString(pkg?.ecosystem) ?? "").split(":", 2);
    const ecosystem = ECOSYSTEMS[ecosystemName];
    if (!entry || !name) return problems.push(`${id}: affected[${index}] has no package name`);
    if (!ecosystem)
      return problems.push(`${id}: ecosystem ${JSON.stringify(pkg?.ecosystem)} of ${name} is not supported`);
    const ranges = rangesOf(entry, `${id} ${name}`, problems);
    const severity = severityOf(entry.severity) ?? recordSeverity;
    const fixedIn = ranges
      .map((r) => r.fixed)
      .filter((f) => f !== undefined && f !== "0")
      .at(-1);
    advisories.push({
      id,
      aliases,
      package: name,
      ecosystem,
      ...(release ? { release } : {}),
      ...(fixedIn ? { fixedIn } : {}),
      affectedRanges: ranges,
      ...(severity ? { severity } : {}),
      ...(summary ? { summary } : {}),
      url: advisoryUrl(id, ecosystem),
    });
  });
  return { advisories, problems };
}

// Each "introduced" opens a range that the next "fixed" or "last_affected" closes;
// explicit `versions` become one-version ranges.
function rangesOf(entry: Record<string, unknown>, label: string, problems: string[]): AffectedRange[] {
  const ranges: AffectedRange[] = [];
  for (const raw of Array.isArray(entry.ranges) ? entry.ranges : []) {
    const range = asRecord(raw);
    if (range?.type !== "ECOSYSTEM") {
      problems.push(`${label}: ${String(range?.type)} range skipped (only ECOSYSTEM ranges hold package versions)`);
      continue;
    }
    let open: string | null = null;
    for (const rawEvent of Array.isArray(range.events) ? range.events : []) {
      const event = asRecord(rawEvent) ?? {};
      const introduced = asString(event.introduced);
      const fixed = asString(event.fixed);
      const lastAffected = asString(event.last_affected);
      if (introduced !== undefined) {
        if (open !== null) ranges.push({ introduced: open });
        open = introduced;
      } else if (open !== null && fixed !== undefined) {
        ranges.push({ introduced: open, fixed });
        open = null;
      } else if (open !== null && lastAffected !== undefined) {
        ranges.push({ introduced: open, lastAffected });
        open = null;
      }
    }
    if (open !== null) ranges.push({ introduced: open });
  }
  for (const version of strings(entry.versions)) ranges.push({ introduced: version, lastAffected: version });
  return ranges;
}

function severityOf(value: unknown): Severity | undefined {
  const first = Array.isArray(value) ? asRecord(value[0]) : null;
  const type = asString(first?.type);
  const score = asString(first?.score);
  return type && score ? { type, score } : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v !== "") : [];
}
