import { z } from "zod";
import type { Ignore } from "./types.js";

/**
 * The hidden data block: `<!-- repin:data {json} -->` on a line of its own. The JSON is written
 * with `-`, `<`, `>` and `&` as `\u` escapes (still valid JSON), so no `--` or `-->` can end the
 * comment early whatever the strings hold, and numbers are never negative, so no `-` is needed
 * outside strings.
 */
export const DATA_PREFIX = "<!-- repin:data ";
export const DATA_SUFFIX = " -->";
const VERSION = 1;

const IgnoreSchema = z.strictObject({
  kind: z.enum(["digest", "image"]),
  image: z.string().min(1).max(512),
  tag: z.string().min(1).max(128).optional(),
  digest: z
    .string()
    .regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/)
    .optional(),
  newTag: z.string().min(1).max(128).optional(),
  reason: z.enum(["closed-unmerged", "command"]),
  by: z.string().min(1).max(100).optional(),
  pr: z.number().int().positive().optional(),
  at: z.iso.datetime({ offset: true }),
});

const BlockSchema = z.object({ v: z.literal(VERSION), ignores: z.array(z.unknown()) });

export function encodeDataBlock(ignores: readonly Ignore[]): string {
  const json = JSON.stringify({ v: VERSION, ignores: ignores.map(ordered) });
  const safe = json.replace(/[-<>&]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `${DATA_PREFIX}${safe}${DATA_SUFFIX}`;
}

export interface DecodedBlock {
  readonly ignores: Ignore[];
  readonly problems: string[];
}

/** Reads a data block line; what does not validate is dropped with a reason, never thrown. */
export function decodeDataBlock(line: string): DecodedBlock {
  const json = line.slice(DATA_PREFIX.length, line.length - DATA_SUFFIX.length);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ignores: [], problems: ["the repin:data block is not valid JSON"] };
  }
  const block = BlockSchema.safeParse(raw);
  if (!block.success) return { ignores: [], problems: ["the repin:data block has an unknown shape or version"] };
  const ignores: Ignore[] = [];
  const problems: string[] = [];
  block.data.ignores.forEach((entry, index) => {
    const parsed = validIgnore(entry);
    if (parsed === null) problems.push(`ignore ${index + 1} in the repin:data block is invalid and was dropped`);
    else ignores.push(parsed);
  });
  return { ignores, problems };
}

/** An ignore as repin will store it, or null when it would not survive a round trip. */
export function validIgnore(value: unknown): Ignore | null {
  const parsed = IgnoreSchema.safeParse(value);
  if (!parsed.success) return null;
  const ignore = parsed.data;
  if (ignore.kind === "digest" && ignore.digest === undefined && ignore.newTag === undefined) return null;
  return ordered(ignore);
}

/** Fixed key order, no undefined keys: the same ignore always serializes to the same text. */
function ordered(ignore: Ignore): Ignore {
  return {
    kind: ignore.kind,
    image: ignore.image,
    ...(ignore.tag !== undefined && { tag: ignore.tag }),
    ...(ignore.digest !== undefined && { digest: ignore.digest }),
    ...(ignore.newTag !== undefined && { newTag: ignore.newTag }),
    reason: ignore.reason,
    ...(ignore.by !== undefined && { by: ignore.by }),
    ...(ignore.pr !== undefined && { pr: ignore.pr }),
    at: ignore.at,
  };
}
