/** The hidden markers of the dashboard body; user text never contains `<!--`, so none can be forged. */
export const DASHBOARD_TITLE = "repin dashboard";
export const DASHBOARD_MARKER = "<!-- repin:dashboard -->";
export const RESCAN_MARKER = "<!-- repin:rescan -->";

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
