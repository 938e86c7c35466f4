import type { Ignore } from "../dashboard/index.js";
import type { Marker } from "./body.js";

/**
 * Closed-PR records (pure): a repin PR closed unmerged means "not this digest" — for a tag update
 * "not this tag", pinned or not (a newer tag is proposed again). With the dashboard on, that
 * becomes an ignore there; the marker of the closed PR then says it is recorded.
 */
export function closedIgnore(marker: Marker, pr: number, now: Date): Ignore | null {
  const declined = declinedTarget(marker);
  if (declined === null) return null;
  return {
    kind: "digest",
    image: imageOfKey(marker.key),
    tag: marker.tag,
    ...declined,
    reason: "closed-unmerged",
    pr,
    at: now.toISOString(),
  };
}

/** What declining a PR's proposal names: its new tag for a tag update, else its digest; null: neither. */
export function declinedTarget(
  marker: Pick<Marker, "newTag" | "digest">,
): { newTag: string } | { digest: string } | null {
  if (marker.newTag !== null) return { newTag: marker.newTag };
  return marker.digest === null ? null : { digest: marker.digest };
}

/** `<registry>/<repository>` of a marker's `<registry>/<repository>:<tag>` key. */
export const imageOfKey = (key: string): string => key.slice(0, key.lastIndexOf(":"));
