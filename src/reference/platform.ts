import type { Platform } from "./types.js";

/** "linux/arm64/v8" → { os, architecture, variant }; null when it is not os/arch[/variant]. */
export function parsePlatform(text: string): Platform | null {
  const parts = text.trim().toLowerCase().split("/");
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => part === "")) return null;
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join("/");
}
