/** A duration such as `30m`, `24h`, `3d`, `1w` or `1d12h`: whole numbers with units s, m, h, d, w. */
export const DURATION_PATTERN = "^(?:[0-9]+[smhdw])+$";

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds in a duration string, or null when it is not one. */
export function parseDuration(text: string): number | null {
  if (!new RegExp(DURATION_PATTERN).test(text)) return null;
  let total = 0;
  for (const [, amount = "", unit = ""] of text.matchAll(/([0-9]+)([smhdw])/g)) {
    total += Number(amount) * (UNIT_MS[unit] ?? 0);
  }
  return Number.isSafeInteger(total) ? total : null;
}
