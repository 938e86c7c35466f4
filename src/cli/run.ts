import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseRepinConfig, type RepinConfig } from "../config/index.js";
import { createPathFilter, lookUp, planOptionsFrom } from "../lookup/index.js";
import { byPlace, fileSkip, planUpdates, reason, scanFiles, type FileChange } from "../plan/index.js";
import { createRegistry, dockerKeychain, memoizeRegistry } from "../registry/index.js";
import type { UpdateTagsPolicy } from "../versioning/types.js";
import { readLocalFiles, writeChanges } from "./files.js";
import { formatApplied, formatHuman, formatJson } from "./output.js";

export const USAGE = `Usage: repin <scan|apply> [DIR] [options]

Finds the container images that Dockerfiles build on and re-pins their digests
to what each tag points to now.

Commands:
  scan [DIR]     print each image reference found with its action (read only)
  apply [DIR]    rewrite the files in place (only digest and tag characters)

Options:
  --json                      print one JSON object: {"updates":[...]}
  --pin                       also pin references that carry no digest
  --update-tags POLICY        patch (default), minor, major or none
  --config FILE               repin config (default: DIR/.github/repin.yml)
  --insecure-registry HOST    allow plain HTTP to HOST[:PORT] (repeatable)
  --exit-code                 exit 1 when something is to be bumped or pinned
  -h, --help                  show this help

Exit status: 0 done, 1 updates found (with --exit-code), 2 usage or fatal error.
Registry credentials come from Docker's config.json ($DOCKER_CONFIG or ~/.docker).`;

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

class UsageError extends Error {
  override readonly name = "UsageError";
}

const POLICIES: readonly UpdateTagsPolicy[] = ["patch", "minor", "major", "none"];

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    io.stderr.write(`repin: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandLine(argv);
  if (args.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const dir = resolve(io.cwd, args.dir);
  if (!(await stat(dir).catch(() => null))?.isDirectory()) throw new UsageError(`${args.dir} is not a directory`);
  const config = await loadConfig(
    args.config ? resolve(io.cwd, args.config) : join(dir, ".github/repin.yml"),
    args.config !== null,
  );
  const options = planOptionsFrom(config, { pin: args.pin || undefined, updateTags: args.updateTags ?? undefined });

  const registry = memoizeRegistry(
    createRegistry({ insecureRegistries: args.insecureRegistries, keychain: dockerKeychain(io.env) }),
  );
  const local = await readLocalFiles(dir, createPathFilter(config.paths));
  const scanned = scanFiles(local.files);
  const plan = planUpdates(scanned, await lookUp(scanned, registry, options), options);
  const updates = [
    ...local.unread.map((file) => fileSkip(file.path, reason("unread-file", file.reason))),
    ...plan.updates,
  ].sort(byPlace);

  if (args.command === "apply") await writeChanges(dir, plan.changes);
  if (args.json) io.stdout.write(`${formatJson(updates)}\n`);
  else io.stdout.write(`${args.command === "apply" ? formatApplied(plan.changes, updates) : formatHuman(updates)}\n`);
  const pending = updates.some((update) => update.action === "bump" || update.action === "pin");
  return args.exitCode && pending ? 1 : 0;
}

function parseCommandLine(argv: readonly string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        pin: { type: "boolean", default: false },
        "update-tags": { type: "string" },
        config: { type: "string" },
        "insecure-registry": { type: "string", multiple: true, default: [] },
        "exit-code": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see repin --help)`);
  }
  const { values, positionals } = parsed;
  const [command, dir = ".", ...extra] = positionals;
  if (values.help) return { help: true } as const;
  if (command !== "scan" && command !== "apply")
    throw new UsageError(
      command ? `unknown command ${command} (see repin --help)` : "missing command: scan or apply (see repin --help)",
    );
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  const updateTags = values["update-tags"];
  if (updateTags !== undefined && !POLICIES.includes(updateTags as UpdateTagsPolicy))
    throw new UsageError(`--update-tags must be one of ${POLICIES.join(", ")}`);
  return {
    help: false,
    command,
    dir,
    json: values.json,
    pin: values.pin,
    updateTags: (updateTags ?? null) as UpdateTagsPolicy | null,
    config: values.config ?? null,
    insecureRegistries: values["insecure-registry"],
    exitCode: values["exit-code"],
  } as const;
}

async function loadConfig(path: string, required: boolean): Promise<RepinConfig> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" && !required) return "";
    throw new UsageError(`cannot read config ${path}: ${error.code ?? error.message}`);
  });
  const parsed = parseRepinConfig(text, path);
  if (!parsed.ok)
    throw new UsageError(`invalid config ${parsed.error.file}:${parsed.error.line}: ${parsed.error.reason}`);
  return parsed.config;
}
