import {
  parseOsv,
  parseSecdb,
  type Advisory,
  type Ecosystem,
  type FeedFetcher,
  type ParsedFeed,
} from "../advisories/index.js";
import { redactUrl } from "../registry/index.js";

/** Where advisories come from when explaining a bump. */
export interface AdvisorySource {
  /** Advisories of `ecosystem` about any of `packageNames` (binary or source names). */
  advisoriesFor(ecosystem: Ecosystem, packageNames: readonly string[]): Advisory[];
}

export interface FeedConfig {
  readonly url: string;
  readonly format: "secdb" | "osv";
  /** Required for secdb (the document does not say); OSV records name their own. */
  readonly ecosystem?: Ecosystem;
}

export interface AdvisoryStore extends AdvisorySource {
  /** Fetches every feed (conditional requests; 304 keeps what was parsed). A failed feed keeps its last advisories. */
  refresh(): Promise<{ readonly problems: string[] }>;
  /** Goes up each time a refresh changed what the feeds say (so callers can tell "nothing new"). */
  readonly generation: number;
}

/**
 * The default feeds; operators replace them with `REPIN_ADVISORY_FEEDS`. Alpine's secdb is one
 * document per release and repository: add the releases your images use.
 */
export const defaultAdvisoryFeeds: readonly FeedConfig[] = [
  { format: "secdb", ecosystem: "wolfi", url: "https://packages.wolfi.dev/os/security.json" },
  { format: "secdb", ecosystem: "chainguard", url: "https://packages.cgr.dev/chainguard/security.json" },
  { format: "secdb", ecosystem: "alpine", url: "https://secdb.alpinelinux.org/v3.20/main.json" },
  { format: "secdb", ecosystem: "alpine", url: "https://secdb.alpinelinux.org/v3.20/community.json" },
];

const ecosystems: readonly Ecosystem[] = ["alpine", "wolfi", "chainguard", "debian"];
const ECOSYSTEM_CHOICES = `one of ${ecosystems.join(", ")}`;
const isEcosystem = (value: unknown): value is Ecosystem => ecosystems.includes(value as Ecosystem);

/**
 * Reads `REPIN_ADVISORY_FEEDS`: a JSON array of `{ url, format, ecosystem? }`, or a comma list
 * of `format:ecosystem:url` (`secdb:wolfi:https://…`, `osv:https://…`). Unset or empty → the
 * defaults; entries that do not read are skipped with a problem (the App refuses to start on one).
 */
export function parseAdvisoryFeeds(text: string | undefined): { feeds: FeedConfig[]; problems: string[] } {
  const trimmed = text?.trim() ?? "";
  if (trimmed === "") return { feeds: [...defaultAdvisoryFeeds], problems: [] };
  const problems: string[] = [];
  let entries: unknown[];
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (!Array.isArray(parsed)) return { feeds: [], problems: ["REPIN_ADVISORY_FEEDS is JSON but not a list"] };
      entries = parsed;
    } catch (error) {
      return { feeds: [], problems: [`REPIN_ADVISORY_FEEDS is not JSON: ${(error as Error).message}`] };
    }
  } else {
    entries = trimmed.split(",").map((item) => {
      const [, format, ecosystem, url] = /^\s*([a-z]+):(?:([a-z]+):(?!\/\/))?(.+?)\s*$/.exec(item) ?? [];
      return { format, ecosystem, url };
    });
  }
  const feeds: FeedConfig[] = [];
  entries.forEach((entry, index) => {
    const { url, format, ecosystem } = (entry ?? {}) as Record<string, unknown>;
    const where = `REPIN_ADVISORY_FEEDS entry ${index + 1}`;
    if (typeof url !== "string" || !/^https?:\/\//.test(url)) return problems.push(`${where}: no http(s) URL`);
    if (format !== "secdb" && format !== "osv") return problems.push(`${where}: format must be secdb or osv`);
    if (ecosystem !== undefined && !isEcosystem(ecosystem))
      return problems.push(`${where}: unknown ecosystem ${JSON.stringify(ecosystem)} (${ECOSYSTEM_CHOICES})`);
    // A secdb document does not say which distribution it is about.
    if (format === "secdb" && ecosystem === undefined)
      return problems.push(
        `${where}: a secdb feed needs an ecosystem (${ECOSYSTEM_CHOICES}), as secdb:<ecosystem>:<url> or "ecosystem" in JSON`,
      );
    feeds.push({ url, format, ...(ecosystem ? { ecosystem } : {}) });
  });
  return { feeds, problems };
}

/** Advisory feeds kept in memory, indexed by ecosystem and package name. */
export function createAdvisoryStore(options: {
  readonly feeds: readonly FeedConfig[];
  readonly fetcher: FeedFetcher;
}): AdvisoryStore {
  const perFeed = new Map<string, Advisory[]>();
  let index = new Map<string, Advisory[]>();
  let generation = 0;
  const key = (ecosystem: Ecosystem, name: string): string => `${ecosystem}\0${name}`;

  return {
    async refresh() {
      const problems: string[] = [];
      let changed = false;
      const results = await Promise.all(
        options.feeds.map(async (feed) => ({ feed, result: await options.fetcher.get(feed.url) })),
      );
      for (const { feed, result } of results) {
        if (!result.ok) {
          const kept = perFeed.has(feed.url) ? " (keeping the last copy)" : "";
          // fetch's own messages may repeat the URL as given, credentials and all.
          const message = result.message.split(feed.url).join(redactUrl(feed.url));
          problems.push(`${redactUrl(feed.url)}: ${message}${kept}`);
          continue;
        }
        if (result.fromCache && perFeed.has(feed.url)) continue;
        const parsed = parseFeed(result.body, feed);
        problems.push(...parsed.problems.slice(0, 20).map((p) => `${redactUrl(feed.url)}: ${p}`));
        // A feed that came back unreadable as a whole (empty, not JSON) is a failure too.
        if (parsed.advisories.length === 0 && parsed.problems.length > 0 && perFeed.has(feed.url)) continue;
        perFeed.set(
          feed.url,
          feed.ecosystem ? parsed.advisories.filter((a) => a.ecosystem === feed.ecosystem) : parsed.advisories,
        );
        changed = true;
      }
      if (!changed) return { problems };
      generation++;
      const next = new Map<string, Advisory[]>();
      for (const advisories of perFeed.values()) {
        for (const advisory of advisories) {
          const k = key(advisory.ecosystem, advisory.package);
          next.set(k, [...(next.get(k) ?? []), advisory]);
        }
      }
      index = next;
      return { problems };
    },
    get generation() {
      return generation;
    },
    advisoriesFor(ecosystem, packageNames) {
      return [...new Set(packageNames)].flatMap((name) => index.get(key(ecosystem, name)) ?? []);
    },
  };
}

/** A secdb document, or OSV as one record, an array of records, or `{ vulns: [...] }`. */
function parseFeed(body: string, feed: FeedConfig): ParsedFeed {
  if (feed.format === "secdb") return parseSecdb(body, feed.ecosystem!);
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    return { advisories: [], problems: [`not JSON: ${(error as Error).message}`] };
  }
  const vulns = (doc as { vulns?: unknown } | null)?.vulns;
  const records = Array.isArray(doc) ? doc : Array.isArray(vulns) ? vulns : [doc];
  const parsed = records.map((record) => parseOsv(record));
  return { advisories: parsed.flatMap((p) => p.advisories), problems: parsed.flatMap((p) => p.problems) };
}
