/** The hidden markers of the dashboard body; user text never contains `<!--`, so none can be forged. */
export const DASHBOARD_TITLE = "repin dashboard";
export const DASHBOARD_MARKER = "<!-- repin:dashboard -->";
export const RESCAN_MARKER = "<!-- repin:rescan -->";

// The dashboard's seal (src/proposals' dashboardSeal, an HMAC bound to the issue), on the body's last line.
const SEAL = /\n*<!-- repin:dashboard-seal:([^\s>]*) -->/g;

/** The seal the body carries: its text (possibly not a valid one), or null when there is none. */
export function dashboardSealOf(body: string): string | null {
  const [first] = body.matchAll(SEAL);
  return first ? first[1]! : null;
}

/** The body with `seal` as its only seal, on the last line. */
export function withDashboardSeal(body: string, seal: string): string {
  return `${body.replace(SEAL, "").trimEnd()}\n\n<!-- repin:dashboard-seal:${seal} -->`;
}

export function recreateMarker(branch: string): string {
  return `<!-- repin:recreate:${encodeBranch(branch)} -->`;
}

export function ignoreMarker(id: string): string {
  return `<!-- repin:ignore:${id} -->`;
}

/** Percent-encoding with `-` encoded too: a tag like `a--b` must not end the comment. */
export function encodeBranch(branch: string): string {
  return encodeURIComponent(branch).replace(/[-!'()*~]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function decodeBranch(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}
