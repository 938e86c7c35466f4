import { readFile, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { parseRepinConfig, type RepinConfig } from "../config/index.js";
import { UsageError } from "./args.js";

/** What PATH names: a directory to walk, or one file (then output names it relative to its directory). */
export interface Target {
  /** The directory `file` in the output is relative to, and apply writes under. */
  readonly root: string;
  /** The one file named, relative to root; null for a directory. */
  readonly file: string | null;
  readonly config: RepinConfig;
  /** The repository root around `root` (the nearest directory at or above it holding `.git`), else root. */
  readonly repository: string;
}

export async function resolveTarget(cwd: string, path: string, configFlag: string | null): Promise<Target> {
  const absolute = resolve(cwd, path);
  const found = await stat(absolute).catch(() => null);
  if (!found || !(found.isDirectory() || found.isFile())) throw new UsageError(`${path} is not a directory or a file`);
  const root = found.isDirectory() ? absolute : dirname(absolute);
  const file = found.isDirectory() ? null : basename(absolute);
  const repository = (await repositoryRoot(root)) ?? root;
  if (configFlag !== null) return { root, file, repository, config: await loadConfig(resolve(cwd, configFlag), true) };
  const configPath = file === null ? join(root, ".github/repin.yml") : await nearestConfig(root);
  return { root, file, repository, config: await loadConfig(configPath, false) };
}

/** The nearest directory at or above `start` holding `.git`, else null. */
async function repositoryRoot(start: string): Promise<string | null> {
  for (let dir = start; ; dir = dirname(dir)) {
    if (await stat(join(dir, ".git")).catch(() => null)) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * The `.github/repin.yml` nearest to a file's directory: there or above it, up to the repository
 * root (the first directory holding `.git`), else none.
 */
async function nearestConfig(start: string): Promise<string | null> {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, ".github/repin.yml");
    if (await stat(candidate).catch(() => null)) return candidate;
    if ((await stat(join(dir, ".git")).catch(() => null)) || dirname(dir) === dir) return null;
  }
}

async function loadConfig(path: string | null, required: boolean): Promise<RepinConfig> {
  const text =
    path === null
      ? ""
      : await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT" && !required) return "";
          throw new UsageError(`cannot read config ${path}: ${error.code ?? error.message}`);
        });
  const parsed = parseRepinConfig(text, path ?? "(defaults)");
  if (!parsed.ok)
    throw new UsageError(`invalid config ${parsed.error.file}:${parsed.error.line}: ${parsed.error.reason}`);
  return parsed.config;
}
