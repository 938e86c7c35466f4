import { readFileSync, readdirSync } from "node:fs";

/** Reads a file from the read-only shared/ folder next to the repository. */
export function sharedText(path: string): string {
  return readFileSync(new URL(`../../../shared/${path}`, import.meta.url), "utf8");
}

export function sharedDir(path: string): string[] {
  return readdirSync(new URL(`../../../shared/${path}`, import.meta.url)).sort();
}

export const sharedPath = (path: string): string => new URL(`../../../shared/${path}`, import.meta.url).pathname;
