import type { FoundReference } from "../../src/dockerfile/types.js";
import type { Extractor } from "../../src/extractors/index.js";

/** What a test says about a reference: the image as written, where, and the characters its ranges cover. */
export interface Seen {
  readonly line: number;
  readonly image: string;
  readonly tag: string | null;
  readonly digest: string | null;
  readonly skip: string | null;
}

export function seen(extractor: Extractor, path: string, text: string): Seen[] {
  const result = extractor.extract(path, text);
  if (result.error !== null) throw new Error(`unexpected file error: ${result.error}`);
  return result.references.map((found) => describe(found, text));
}

export function describe(found: FoundReference, text: string): Seen {
  const at = (range: { start: number; end: number } | null) => (range ? text.slice(range.start, range.end) : null);
  return {
    line: found.line,
    image: found.expanded,
    tag: at(found.tagRange),
    digest: at(found.digestRange),
    skip: found.skip?.reason ?? null,
  };
}

export const DIGEST_A = `sha256:${"a".repeat(64)}`;
export const DIGEST_B = `sha256:${"b".repeat(64)}`;
