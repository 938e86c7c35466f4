import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { hostileToken, startHostileRegistry, type ScriptedServer } from "../support/registry/index.js";
import { json, repin, workspace } from "./harness.js";

// What the CLI prints comes partly from registries: a hostile one must not reach the terminal
// with escape sequences, nor get the user's credentials printed back.
const password = "hunter2-very-secret";
const basic = Buffer.from(`ci-bot:${password}`).toString("base64");
let server: ScriptedServer;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  server = await startHostileRegistry();
  const config = await mkdtemp(join(tmpdir(), "repin-docker-"));
  await writeFile(join(config, "config.json"), JSON.stringify({ auths: { [server.host]: { auth: basic } } }));
  env = { DOCKER_CONFIG: config };
  dir = await workspace({
    "deny/Dockerfile": `FROM ${server.host}/deny/app:1@sha256:${"a".repeat(64)}\n`,
    "evil/Dockerfile": `FROM ${server.host}/evil/app:1@sha256:${"b".repeat(64)}\n`,
  });
});
afterAll(async () => server?.stop());

function expectNothingHostile(output: string): void {
  expect(output).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  for (const secret of [password, basic, hostileToken]) expect(output).not.toContain(secret);
}

it("scan prints the registries' refusals without escape sequences or the credentials they reflect", async () => {
  const result = await repin(["scan", dir], env);
  expectNothingHostile(result.stdout + result.stderr);
  // The status, host and the registry's error code; never the text of its body (SPEC 10).
  expect(result.stdout).toMatch(/deny\/Dockerfile:1 .* skip .*401 unauthorized from .*: DENIED\)/);
  expect(result.stdout).toMatch(/evil\/Dockerfile:1 .* skip .*404 not-found from .*: DENIED\)/);
  expect(result.stdout).not.toMatch(/bad login|no such manifest/);
});

it("scan --json carries the same reasons, equally clean", async () => {
  const result = await repin(["scan", dir, "--json"], env);
  expectNothingHostile(result.stdout + result.stderr);
  // Escaped in JSON is not enough: the decoded reasons are clean too.
  const reasons = json(result.stdout).updates.map((update) => String(update.reason));
  expect(reasons).toHaveLength(2);
  for (const reason of reasons) expectNothingHostile(reason);
});
