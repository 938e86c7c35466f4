/**
 * The intervals from the environment: seconds, or `off`. Anything else stops the start with the
 * variable's name, so a typo never runs a loop at a surprising pace.
 */
export function parseInterval(name: string, value: string | undefined, defaultSeconds: number): number | null {
  const text = value?.trim() ?? "";
  if (text === "") return defaultSeconds * 1000;
  if (text.toLowerCase() === "off") return null;
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0)
    throw new Error(`${name} must be a number of seconds or "off", not ${JSON.stringify(text.slice(0, 40))}`);
  return Number(text) * 1000;
}

export const DEFAULT_WATCH_INTERVAL_S = 60;
export const DEFAULT_FEED_INTERVAL_S = 300;
