// Runs the committed Action bundle as the runner does: `node action/index.mjs` with the inputs as
// INPUT_* variables, the GITHUB_* context, a GITHUB_OUTPUT file and a workspace, against the world's
// GitHub simulator and real registry. `github.token` is an installation token of a second App in
// the simulator, "github-actions", as on GitHub.
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { OWNER, type World } from "../app/support/world.js";

export const BUNDLE = fileURLToPath(new URL("../../action/index.mjs", import.meta.url));
export const ACTIONS_APP_ID = 15368;

export interface ActionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The GITHUB_OUTPUT file's `name<<delimiter` blocks. */
  readonly outputs: Record<string, string>;
}

export interface Runner {
  /** A `github.token` for the repositories of OWNER (readOnly: `permissions: read-all`). */
  token(options?: { readonly readOnly?: boolean }): string;
  run(repo: string, inputs?: Record<string, string>, env?: Record<string, string>): Promise<ActionRun>;
  /** The workspace (the state file is kept under it, as actions/cache would restore it). */
  readonly workspace: string;
  cleanup(): Promise<void>;
}

export async function createRunner(world: World): Promise<Runner> {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  world.sim.createApp({ appId: ACTIONS_APP_ID, privateKeyPem: privateKey, slug: "github-actions" });
  const { id } = world.sim.createInstallation({ appId: ACTIONS_APP_ID, account: OWNER, repositories: "all" });
  const workspace = await mkdtemp(join(tmpdir(), "repin-action-"));
  let runs = 0;
  const token = (options: { readonly readOnly?: boolean } = {}) => world.sim.createInstallationToken(id, options);
  return {
    token,
    workspace,
    async run(repo, inputs = {}, env = {}) {
      const output = join(workspace, `output-${++runs}`);
      await writeFile(output, "");
      const all = { token: token(), "marker-key": "action-secret", dashboard: "true", ...inputs };
      const child: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: workspace,
        GITHUB_ACTIONS: "true",
        GITHUB_REPOSITORY: `${OWNER}/${repo}`,
        GITHUB_API_URL: world.sim.url,
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: output,
        // The public advisory feeds are not for tests: a test that explains serves its own.
        REPIN_ADVISORY_FEEDS: "[]",
        ...Object.fromEntries(Object.entries(all).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
        ...env,
      };
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
        execFile(process.execPath, [BUNDLE], { env: child, timeout: 120_000 }, (error, stdout, stderr) =>
          done({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout, stderr }),
        );
      });
      return { ...result, outputs: parseOutputs(await readFile(output, "utf8")) };
    },
    cleanup: () => rm(workspace, { recursive: true, force: true }),
  };
}

export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = /^([\w-]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const end = lines.indexOf(match[2]!, i + 1);
    outputs[match[1]!] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return outputs;
}

/** The `::error::` lines of a run. */
export const errorsOf = (run: ActionRun): string[] => run.stdout.split("\n").filter((line) => line.startsWith("::error::"));
