import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type TokenServer, startTokenServer, tokenIssuer, tokenService } from "./tokenServer.js";

const run = promisify(execFile);

export type RegistryAuth = "none" | "basic" | "token";

export interface StartRegistryOptions {
  readonly auth?: RegistryAuth;
  /** Token auth: let clients without credentials pull (default false). */
  readonly allowAnonymous?: boolean;
  /** Token auth: `expires_in` the token server announces (default 60 s). */
  readonly tokenExpiresIn?: number;
  /** Push notifications (`notifications.endpoints`): the registry POSTs v1 envelopes to `url` with this bearer token. */
  readonly notify?: { readonly url: string; readonly token: string };
}

export interface LoggedRequest {
  readonly method: string;
  /** Path with query, e.g. `/v2/x/manifests/latest`. */
  readonly path: string;
  readonly status: number;
}

export interface TestRegistry {
  /** `127.0.0.1:PORT`: use as the registry part of a RepositoryName. */
  readonly host: string;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly auth: RegistryAuth;
  /** Present for basic and token auth. */
  readonly credentials?: { readonly username: string; readonly password: string };
  /** Raw access log lines seen so far (`… "HEAD /v2/x/manifests/latest HTTP/1.1" 200 …`). */
  accessLog(): string[];
  /** The access log parsed; call `settle()` first when counting the requests just made. */
  requests(): LoggedRequest[];
  /** Waits until the registry has written the log lines of requests already answered. */
  settle(): Promise<void>;
  /** Token auth: HTTP requests the token server got (0 otherwise). */
  tokenRequests(): number;
  /** The Authorization header the push helpers use for `repository` (pull and push). */
  pushAuthorization(repository: string): string | undefined;
  stop(): Promise<void>;
}

const accessLine = /"([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3})/;

/** Parses one access log line; null for other log lines. */
export function parseAccessLine(line: string): LoggedRequest | null {
  const match = accessLine.exec(line);
  return match ? { method: match[1]!, path: match[2]!, status: Number(match[3]) } : null;
}

/** Starts the real distribution registry (Debian's docker-registry 2.8) on a free loopback port. */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const auth = options.auth ?? "none";
  const dir = await mkdtemp(join(tmpdir(), "repin-registry-"));
  const credentials = auth === "none" ? undefined : { username: "repin", password: "s3cret-pass" };
  let tokens: TokenServer | null = null;
  let authYaml = "";
  if (auth === "basic" && credentials) {
    const { stdout } = await run("/usr/bin/htpasswd", ["-Bbn", credentials.username, credentials.password]);
    await writeFile(join(dir, "htpasswd"), stdout.trim() + "\n");
    authYaml = `auth:\n  htpasswd:\n    realm: repin-test\n    path: ${join(dir, "htpasswd")}\n`;
  }
  if (auth === "token" && credentials) {
    tokens = await startTokenServer({
      dir,
      ...credentials,
      allowAnonymous: options.allowAnonymous,
      expiresIn: options.tokenExpiresIn,
    });
    authYaml = `auth:\n  token:\n    realm: ${tokens.realm}\n    service: ${tokenService}\n    issuer: ${tokenIssuer}\n    rootcertbundle: ${tokens.certPath}\n`;
  }
  const lines: string[] = [];
  let child: ChildProcess | null = null;
  let port = 0;
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    const config = [
      "version: 0.1",
      "log:\n  level: warn\n  accesslog:\n    disabled: false",
      `storage:\n  filesystem:\n    rootdirectory: ${join(dir, "data")}\n  delete:\n    enabled: true`,
      `http:\n  addr: 127.0.0.1:${port}\n  secret: repin-test-secret`,
      authYaml,
      options.notify ? notificationsYaml(options.notify) : "",
    ].join("\n");
    const configPath = join(dir, "config.yml");
    await writeFile(configPath, config);
    const started = spawn("/usr/bin/docker-registry", ["serve", configPath], { stdio: ["ignore", "pipe", "pipe"] });
    collectLines(started, lines);
    if (await waitUntilServing(started, port)) child = started;
    else started.kill("SIGKILL");
  }
  if (!child) {
    await tokens?.stop();
    await rm(dir, { recursive: true, force: true });
    throw new Error(`docker-registry did not start:\n${lines.slice(-5).join("\n")}`);
  }
  const running = child;
  const url = `http://127.0.0.1:${port}`;
  return {
    host: `127.0.0.1:${port}`,
    url,
    auth,
    credentials,
    accessLog: () => lines.filter((line) => accessLine.test(line)),
    requests: () => lines.map(parseAccessLine).filter((r): r is LoggedRequest => r !== null),
    settle: () => settle(lines),
    tokenRequests: () => tokens?.requests() ?? 0,
    pushAuthorization(repository) {
      if (auth === "basic" && credentials)
        return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
      if (tokens) return `Bearer ${tokens.mint(repository, ["pull", "push"])}`;
      return undefined;
    },
    async stop() {
      if (running.exitCode === null) {
        const exited = new Promise((resolve) => running.once("exit", resolve));
        running.kill("SIGTERM");
        await exited;
      }
      await tokens?.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One endpoint, retried quickly: a short timeout and backoff so a test sees a delivery within a
 * second, and a threshold of 3 failures before the registry backs off.
 */
function notificationsYaml(notify: { readonly url: string; readonly token: string }): string {
  return [
    "notifications:",
    "  endpoints:",
    "    - name: repin",
    `      url: ${notify.url}`,
    "      headers:",
    `        Authorization: [Bearer ${notify.token}]`,
    "      timeout: 2s",
    "      threshold: 3",
    "      backoff: 200ms",
  ].join("\n");
}

/** A port that was free a moment ago (the caller retries on a collision). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function collectLines(child: ChildProcess, lines: string[]): void {
  for (const stream of [child.stdout, child.stderr]) {
    let rest = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      lines.push(...parts.filter(Boolean));
    });
  }
}

async function waitUntilServing(child: ChildProcess, port: number): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const response = await fetch(`http://127.0.0.1:${port}/v2/`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      // Another process on a reused port would not speak the registry API.
      if (response.headers.get("docker-distribution-api-version")) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/** The registry logs a request just after answering it: wait until the log stops growing. */
async function settle(lines: string[]): Promise<void> {
  let seen = -1;
  while (seen !== lines.length) {
    seen = lines.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
}
