import { existsSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { createPathFilter, lookUp, planOptionsFrom } from "../lookup/index.js";
import {
  byPlace,
  fileSkip,
  planUpdates,
  reason,
  referencesPerTag,
  scanFiles,
  tagKey,
  type FilePlace,
  type Update,
} from "../plan/index.js";
import { cacheDirFromEnv, createRegistry, diskCache, dockerKeychain, memoizeRegistry } from "../registry/index.js";
import { parseCommandLine, USAGE, UsageError, type CommandLine } from "./args.js";
import { readLocalFile, readLocalFiles, writeChanges } from "./files.js";
import { colours, formatApplied, formatHuman, formatJson, plain } from "./output.js";
import { startProgress } from "./progress.js";
import { resolveTarget, type Target } from "./target.js";

export { USAGE };

interface Stream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly stdout: Stream;
  readonly stderr: Stream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(parseCommandLine(argv), io);
  } catch (error) {
    io.stderr.write(`repin: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

export function version(): string {
  const manifest = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return manifest.version;
}

async function run(args: CommandLine, io: CliIo): Promise<number> {
  if (args.kind === "help") {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.kind === "version") {
    io.stdout.write(`repin ${version()}\n`);
    return 0;
  }
  const target = await resolveTarget(io.cwd, args.path, args.config);
  const options = planOptionsFrom(target.config, {
    pin: args.pin || undefined,
    updateTags: args.updateTags ?? undefined,
  });
  const local =
    target.file === null
      ? await readLocalFiles(target.root, createPathFilter(target.config.paths))
      : await readLocalFile(join(target.root, target.file), target.file);
  const scanned = scanFiles(local.files, placeOf(target));
  if (target.file !== null && local.files.length === 1 && scanned.length === 0)
    throw new UsageError(`${args.path} is not a kind of file repin reads (see README: where references are found)`);

  const client = createRegistry({
    insecureRegistries: args.insecureRegistries,
    keychain: dockerKeychain(io.env),
    timeoutMs: args.timeoutMs,
    // A host that did not answer within --timeout is not asked again (see README: fail fast).
    retryTimeouts: false,
    cache: diskCache(cacheDirFromEnv(io.env)),
    configBlobs: "on-demand",
  });
  // Which tag each reference follows is known once the tag lists are in (a newer patch tag).
  let perTag = referencesPerTag(scanned, { tagLists: new Map() }, options);
  const progress = io.stderr.isTTY
    ? startProgress(memoizeRegistry(client), {
        write: (text) => io.stderr.write(text),
        total: [...perTag.values()].reduce((sum, n) => sum + n, 0),
        referencesOf: (repo, tag) => perTag.get(tagKey(repo, tag)) ?? 0,
      })
    : null;
  let lookups;
  try {
    lookups = await lookUp(scanned, progress?.registry ?? memoizeRegistry(client), options, {
      onTagLists: (tagLists) => (perTag = referencesPerTag(scanned, { tagLists }, options)),
    });
  } finally {
    progress?.stop();
  }
  const plan = planUpdates(scanned, lookups, options);
  const updates = [
    ...local.unread.map((file) => fileSkip(file.path, reason("unread-file", file.reason))),
    ...plan.updates,
  ].sort(byPlace);

  if (args.command === "apply") await writeChanges(target.root, plan.changes);
  const contents = new Map(local.files.map((file) => [file.path, file.content]));
  const paint = io.stdout.isTTY && !io.env.NO_COLOR ? colours : plain;
  if (args.json) io.stdout.write(`${formatJson(updates, contents)}\n`);
  else if (args.command === "apply") io.stdout.write(`${formatApplied(updates, contents, paint)}\n`);
  else io.stdout.write(`${formatHuman(updates, contents, paint)}\n`);
  return args.exitCode ? exitCodeFor(updates) : 0;
}

/**
 * Where the files sit in their repository, for the name rules: a file named alone, or a folder, is
 * read as what its path from the repository root makes it (`.github/workflows/`, a Chart.yaml beside).
 */
function placeOf(target: Target): FilePlace {
  const dir = relative(target.repository, target.root).split(sep).join("/");
  return { dir, tree: { has: (path) => existsSync(join(target.repository, path)) } };
}

/** SPEC 4 with --exit-code: 1 something to bump or pin; 3 nothing to, but something could not be checked. */
export function exitCodeFor(updates: readonly Update[]): number {
  if (updates.some((update) => update.action === "bump" || update.action === "pin")) return 1;
  return updates.some(uncheckable) ? 3 : 0;
}

/** A registry that failed (for the tag, a manifest or the tag list), or a file that could not be read or parsed. */
function uncheckable(update: Update): boolean {
  const why = update.reason;
  if (why === null) return false;
  const fileNotRead = update.image === null && update.action === "skip";
  return fileNotRead || why.registry !== undefined || why.note?.registry !== undefined || why.code === "parse-error";
}
