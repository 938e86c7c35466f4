import picomatch from "picomatch";
import { splitDockerName } from "../reference/index.js";

/**
 * `ignore` patterns: `name` or `name:tag`. The name is normalized the Docker
 * way (`python` = `docker.io/library/python`, `index.docker.io` =
 * `docker.io`) and matched as a glob against `registry/repository` (`*` is one
 * path part, `**` any number). A pattern whose first part is a glob is matched
 * as written, so `**\/python` matches python on any registry. Without `:tag`
 * every tag matches (a reference without a tag too); with one the tag must
 * match it, as a glob: `python:3.11`, `python:3.11-*`.
 */
const GLOB_CHARS = /[*?[\]{}!()]/;

function splitTag(pattern: string): { name: string; tag: string | null } {
  const colon = pattern.lastIndexOf(":");
  // A colon before the last "/" is a registry port, not a tag.
  if (colon === -1 || colon < pattern.lastIndexOf("/")) return { name: pattern, tag: null };
  return { name: pattern.slice(0, colon), tag: pattern.slice(colon + 1) };
}

function normalizeName(name: string): string {
  const slash = name.indexOf("/");
  if (slash !== -1 && GLOB_CHARS.test(name.slice(0, slash))) return name;
  const { registry, repository } = splitDockerName(name);
  return `${registry}/${repository}`;
}

/** Whether an `ignore` pattern covers the normalized image `registry/repository:tag`. */
export function matchesImagePattern(
  pattern: string,
  registry: string,
  repository: string,
  tag: string | null,
): boolean {
  const { name, tag: tagPattern } = splitTag(pattern.trim());
  if (name === "") return false;
  if (!picomatch.isMatch(`${registry}/${repository}`, normalizeName(name), { dot: true })) return false;
  if (tagPattern === null) return true;
  return tag !== null && picomatch.isMatch(tag, tagPattern, { dot: true });
}
