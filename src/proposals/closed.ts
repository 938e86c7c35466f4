import type { Ignore } from "../dashboard/index.js";
import type { Marker } from "./body.js";

/**
 * Closed-PR records (pure): a repin PR closed unmerged means "not this digest". With the dashboard
 * on, that becomes a digest ignore there; the marker of the closed PR then says it is recorded.
 */
export function closedIgnore(marker: Marker, pr: number, now: Date): Ignore | null {
  if (marker.digest === null) return null;
  return {
    kind: "digest",
    image: imageOfKey(marker.key),
    tag: marker.tag,
    digest: marker.digest,
    reason: "closed-unmerged",
    pr,
    at: now.toISOString(),
  };
}

/** `<registry>/<repository>` of a marker's `<registry>/<repository>:<tag>` key. */
export const imageOfKey = (key: string): string => key.slice(0, key.lastIndexOf(":"));
