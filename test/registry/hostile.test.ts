import { afterAll, beforeAll, expect, it } from "vitest";
import { createRegistry, RegistryError, staticKeychain, type RepositoryName } from "../../src/registry/index.js";
import { hostileToken, startHostileRegistry, type ScriptedServer } from "../support/registry/index.js";

// A registry whose error text carries terminal escapes and repeats the credentials it was sent.
const credentials = { username: "ci-bot", password: "hunter2-very-secret" };
const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64");
let server: ScriptedServer;

beforeAll(async () => {
  server = await startHostileRegistry();
});
afterAll(async () => server?.stop());

const client = () =>
  createRegistry({ keychain: staticKeychain({ [server.host]: { kind: "basic", ...credentials } }), retries: 0 });
const repo = (repository: string): RepositoryName => ({ registry: server.host, repository });
const digest = `sha256:${"a".repeat(64)}`;

async function failure(work: Promise<unknown>): Promise<RegistryError> {
  const error = await work.then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

const controls = /[\u0000-\u001f\u007f-\u009f]/;

function expectClean(error: RegistryError, secrets: readonly string[]): void {
  // A stack keeps its line breaks; each line is held to what a message is held to.
  for (const text of [error.message, ...(error.stack ?? "").split("\n"), ...error.codes]) {
    expect(text).not.toMatch(controls);
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
}

it("a token service that reflects the Basic credentials: the error names neither them nor an escape", async () => {
  const error = await failure(client().getManifest(repo("deny/app"), digest));
  expect(error.kind).toBe("unauthorized");
  // Status, host, object and the registry's error code; never the body's text (SPEC 10).
  expect(error.message).toBe(`401 unauthorized from ${server.host} for a token for repository:deny/app:pull: DENIED`);
  expectClean(error, [credentials.password, basic]);
  expect(error.codes).toEqual(["DENIED"]);
});

it("a registry that reflects the Bearer token it got: the token stays out of the error", async () => {
  const error = await failure(client().resolveTag(repo("evil/app"), "1"));
  expect(error.kind).toBe("not-found");
  expect(error.message).toBe(`404 not-found from ${server.host} for manifest evil/app:1: DENIED`);
  expectClean(error, [hostileToken, credentials.password, basic]);
});
