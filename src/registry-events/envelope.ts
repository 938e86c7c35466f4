import { tagHint, type TagHint } from "./hint.js";

/** Bodies past this are refused (413) before they are read further (SPEC 11). */
export const MAX_ENVELOPE_BYTES = 1024 * 1024;

export type EnvelopeResult =
  | { readonly ok: true; readonly hints: readonly TagHint[]; readonly events: number }
  | { readonly ok: false; readonly reason: string };

/** Manifest and index media types; anything else with a tag (or none) is a blob, config or unknown. */
const MANIFEST_TYPES = new Set([
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v1+prettyjws",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
]);

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === "string" ? value : "");

/**
 * The tags an envelope `{"events": [...]}` says were pushed, each once. Only a `push` of a manifest
 * that names a tag counts; its host is `target.url`'s, else `request.host`. Pulls, deletes, mounts,
 * blob pushes and events naming no valid host, repository or tag give nothing. Malformed: the body
 * is not JSON, not an object with an `events` array, or an event is not an object.
 */
export function parseEnvelope(body: string): EnvelopeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, reason: "the body is not JSON" };
  }
  if (!isObject(parsed) || !Array.isArray(parsed.events))
    return { ok: false, reason: 'the body is not an envelope: no "events" array' };
  const events: unknown[] = parsed.events;
  const bad = events.findIndex((event) => !isObject(event));
  if (bad !== -1) return { ok: false, reason: `event ${bad} is not an object` };
  const hints = new Map<string, TagHint>();
  for (const event of events as Json[]) {
    const hint = pushedTag(event);
    if (hint) hints.set(`${hint.registry}/${hint.repository}:${hint.tag}`, hint);
  }
  return { ok: true, hints: [...hints.values()], events: events.length };
}

function pushedTag(event: Json): TagHint | null {
  const target = isObject(event.target) ? event.target : {};
  if (event.action !== "push" || !MANIFEST_TYPES.has(text(target.mediaType))) return null;
  const request = isObject(event.request) ? event.request : {};
  const host = hostOf(text(target.url)) ?? text(request.host);
  return tagHint(host, text(target.repository), text(target.tag));
}

function hostOf(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const { host, protocol } = new URL(url);
  return (protocol === "https:" || protocol === "http:") && host !== "" ? host : null;
}
