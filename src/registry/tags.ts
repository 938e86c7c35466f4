import type { CachedTagList } from "./disk-cache.js";
import { RegistryError, errorFromResponse } from "./errors.js";
import { parseNextLink } from "./headers.js";
import type { HttpResponse, Transport } from "./transport.js";

export interface TagListLimits {
  /** Tags per page asked for. */
  readonly pageSize: number;
  /** Distinct tags a list may have; more fails with `bad-response`. */
  readonly maxTags: number;
  /** Bytes of all pages together; more fails with `bad-response`. */
  readonly maxBytes: number;
  readonly maxPages: number;
  readonly maxPageBytes: number;
}

export const defaultTagListLimits: TagListLimits = {
  pageSize: 1000,
  maxTags: 100_000,
  maxBytes: 32 * 1024 * 1024,
  maxPages: 1000,
  maxPageBytes: 8 * 1024 * 1024,
};

// The OCI tag grammar: anything else cannot be referenced, so it is not kept.
const tagPattern = /^\w[\w.-]{0,127}$/;

/**
 * Reads a paginated tag list (`Link: <…>; rel="next"`), keeping each tag once. A link seen
 * before or a page that adds no new tag ends the list (a registry that loops); more tags,
 * bytes or pages than `limits` allow fail with `bad-response` rather than a partial list,
 * which could hide the newest tag.
 *
 * With `cached`, the first page is asked with `If-None-Match`: a 304 answers with the cached list.
 * The list comes back with its `etag` only when it was one page (a later page could change
 * behind an unchanged first one) and the registry sent one.
 */
export async function readTagList(
  transport: Transport,
  first: URL,
  repository: string,
  limits: TagListLimits,
  options: { readonly signal?: AbortSignal; readonly cached?: CachedTagList | null } = {},
): Promise<{ tags: string[]; etag: string | null }> {
  const { signal, cached } = options;
  const what = `tag list of ${repository}`;
  const tags = new Set<string>();
  const visited = new Set<string>();
  let bytes = 0;
  let url = first;
  const tooMuch = (response: HttpResponse, limit: string): RegistryError =>
    new RegistryError({
      kind: "bad-response",
      status: response.status,
      method: "GET",
      url: response.url,
      message: `${what} from ${response.url.host} has more than ${limit}`,
    });
  for (let page = 1; ; page++) {
    visited.add(url.href);
    const conditional = page === 1 && cached ? { "if-none-match": cached.etag } : undefined;
    const response = await transport({
      method: "GET",
      url,
      maxBytes: limits.maxPageBytes,
      repository,
      signal,
      ...(conditional ? { headers: conditional } : {}),
    });
    if (response.status === 304 && conditional && cached) return { tags: [...cached.tags], etag: cached.etag };
    if (response.status !== 200) throw errorFromResponse(response, "GET", response.url, what);
    bytes += response.body.byteLength;
    if (bytes > limits.maxBytes) throw tooMuch(response, `${limits.maxBytes} bytes`);
    const before = tags.size;
    for (const tag of parseTagPage(response, what)) {
      tags.add(tag);
      if (tags.size > limits.maxTags) throw tooMuch(response, `${limits.maxTags} tags`);
    }
    const next = parseNextLink(response.headers.get("link"));
    if (!next && page === 1) return { tags: [...tags], etag: response.headers.get("etag") };
    if (!next || tags.size === before) return { tags: [...tags], etag: null };
    const nextUrl = new URL(next, response.url);
    if (nextUrl.origin !== response.url.origin) {
      throw new RegistryError({
        kind: "bad-response",
        method: "GET",
        url: response.url,
        message: `${what} from ${response.url.host} links to another host`,
      });
    }
    if (visited.has(nextUrl.href)) return { tags: [...tags], etag: null };
    if (page >= limits.maxPages) throw tooMuch(response, `${limits.maxPages} pages`);
    url = nextUrl;
  }
}

function parseTagPage(response: HttpResponse, what: string): string[] {
  try {
    const parsed = JSON.parse(response.body.toString("utf8")) as { tags?: unknown };
    if (parsed.tags === null || parsed.tags === undefined) return [];
    if (Array.isArray(parsed.tags))
      return parsed.tags.filter((tag): tag is string => typeof tag === "string" && tagPattern.test(tag));
  } catch {
    // fall through to the error below
  }
  throw new RegistryError({
    kind: "bad-response",
    status: 200,
    method: "GET",
    url: response.url,
    message: `${what} from ${response.url.host} is not a tag list`,
  });
}
