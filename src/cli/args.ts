import { parseArgs } from "node:util";
import type { UpdateTagsPolicy } from "../versioning/types.js";

export const USAGE = `Usage: repin <scan|apply> [PATH] [options]

Finds the container images that Dockerfiles build on and re-pins their digests
to what each tag points to now. PATH is a directory (default .) or one file.

Commands:
  scan [PATH]    print each image reference found with its action (read only)
  apply [PATH]   rewrite the files in place (only digest and tag characters)

Options:
  --json                      print one JSON object: {"updates":[...]}
  --pin                       also pin references that carry no digest
  --update-tags POLICY        patch (default), minor, major or none
  --config FILE               repin config (default: .github/repin.yml of PATH,
                              or the nearest one above a file)
  --insecure-registry HOST    allow plain HTTP to HOST[:PORT] (repeatable)
  --timeout SECONDS           per registry request (default 30)
  --exit-code                 exit 1 when something is to be bumped or pinned,
                              3 when nothing is but something could not be checked
  --version                   print repin's version
  -h, --help                  show this help

Exit status: 0 done; with --exit-code, 1 updates found, 3 some reference or file
could not be checked; 2 usage or fatal error.
Registry credentials come from Docker's config.json ($DOCKER_CONFIG or ~/.docker).
Manifests and tag lists are cached in $REPIN_CACHE_DIR, else $XDG_CACHE_HOME/repin
(~/.cache/repin); the cache may be deleted at any time.`;

export class UsageError extends Error {
  override readonly name = "UsageError";
}

export type CommandLine =
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | {
      readonly kind: "run";
      readonly command: "scan" | "apply";
      readonly path: string;
      readonly json: boolean;
      readonly pin: boolean;
      readonly updateTags: UpdateTagsPolicy | null;
      readonly config: string | null;
      readonly insecureRegistries: readonly string[];
      readonly timeoutMs: number;
      readonly exitCode: boolean;
    };

const POLICIES: readonly UpdateTagsPolicy[] = ["patch", "minor", "major", "none"];

/** A host name or IPv4 address, or a bracketed IPv6 address, with an optional port: never a URL or a path. */
const HOST_PORT =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function parseCommandLine(argv: readonly string[]): CommandLine {
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
        timeout: { type: "string" },
        "exit-code": { type: "boolean", default: false },
        version: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see repin --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const [command, path = ".", ...extra] = positionals;
  if (command !== "scan" && command !== "apply")
    throw new UsageError(
      command ? `unknown command ${command} (see repin --help)` : "missing command: scan or apply (see repin --help)",
    );
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  const updateTags = values["update-tags"];
  if (updateTags !== undefined && !POLICIES.includes(updateTags as UpdateTagsPolicy))
    throw new UsageError(`--update-tags must be one of ${POLICIES.join(", ")}`);
  for (const host of values["insecure-registry"]) {
    if (!HOST_PORT.test(host) || !validPort(host))
      throw new UsageError(`--insecure-registry takes HOST[:PORT], not a URL or a path: ${JSON.stringify(host)}`);
  }
  return {
    kind: "run",
    command,
    path,
    json: values.json,
    pin: values.pin,
    updateTags: (updateTags ?? null) as UpdateTagsPolicy | null,
    config: values.config ?? null,
    insecureRegistries: values["insecure-registry"],
    timeoutMs: parseTimeout(values.timeout),
    exitCode: values["exit-code"],
  };
}

function validPort(host: string): boolean {
  const port = /:(\d+)$/.exec(host)?.[1];
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
}

/** Seconds, a positive number up to a day (decimals allowed: `--timeout 0.5`); default 30. */
function parseTimeout(text: string | undefined): number {
  if (text === undefined) return 30_000;
  const seconds = /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(seconds > 0 && seconds <= 86_400))
    throw new UsageError(`--timeout takes a number of seconds greater than 0, not ${JSON.stringify(text)}`);
  return Math.round(seconds * 1000);
}
