/** Which files hold Dockerfile syntax (SPEC section 2), by name at any depth. */
export function isDockerfilePath(path: string): boolean {
  const base = path.replace(/\\/g, "/").split("/").pop() ?? "";
  if (base === "Dockerfile" || base === "Containerfile") return true;
  if (base.endsWith(".Dockerfile") || base.endsWith(".dockerfile")) return base.length > ".dockerfile".length;
  // "Dockerfile.dockerignore" is BuildKit's per-Dockerfile ignore file, not a Dockerfile.
  if (base.endsWith(".dockerignore")) return false;
  return /^(Dockerfile|Containerfile)\.[^/]+$/.test(base);
}

const IGNORED_DIRECTORIES: ReadonlySet<string> = new Set(["node_modules", "vendor", ".git"]);

/** True when any directory in the path is one repin never scans. */
export function isIgnoredDirectory(path: string): boolean {
  return path
    .replace(/\\/g, "/")
    .split("/")
    .some((part) => IGNORED_DIRECTORIES.has(part));
}
