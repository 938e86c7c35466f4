import { createSign, randomUUID } from "node:crypto";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const tokenService = "repin-test-registry";
export const tokenIssuer = "repin-test-issuer";

export interface TokenServerOptions {
  readonly dir: string;
  readonly username: string;
  readonly password: string;
  /** Grant `pull` to requests without credentials (default false). */
  readonly allowAnonymous?: boolean;
  /** `expires_in` told to clients (default 60 s). The JWT itself lives 5 minutes longer. */
  readonly expiresIn?: number;
}

export interface TokenServer {
  readonly realm: string;
  readonly certPath: string;
  /** HTTP requests received so far (tokens minted in-process for pushing are not counted). */
  requests(): number;
  /** A token for `repository` with the given actions, minted without an HTTP request. */
  mint(repository: string, actions: readonly string[]): string;
  stop(): Promise<void>;
}

/** A Docker token server: Basic (or anonymous) login, RS256 JWTs with `x5c`, as distribution's `auth.token` expects. */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const keyPath = join(options.dir, "token.key");
  const certPath = join(options.dir, "token.crt");
  await run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    keyPath,
    "-out",
    certPath,
    "-days",
    "2",
    "-subj",
    "/CN=repin-test-token",
  ]);
  const key = await readFile(keyPath, "utf8");
  const certPem = await readFile(certPath, "utf8");
  const certDer = certPem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
  let count = 0;

  const mint = (subject: string, access: { type: string; name: string; actions: string[] }[]): string => {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: "RS256", typ: "JWT", x5c: [certDer] };
    const claims = {
      iss: tokenIssuer,
      sub: subject,
      aud: tokenService,
      exp: now + (options.expiresIn ?? 60) + 300,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = createSign("RSA-SHA256").update(input).sign(key).toString("base64url");
    return `${input}.${signature}`;
  };

  const server: Server = createServer((req, res) => {
    count++;
    const url = new URL(req.url ?? "/", "http://token");
    const user = basicUser(req, options);
    if (user === "refused" || (user === null && !options.allowAnonymous)) {
      res.writeHead(401, { "content-type": "application/json", "www-authenticate": 'Basic realm="token"' });
      res.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "bad or missing credentials" }] }));
      return;
    }
    const access = url.searchParams.getAll("scope").flatMap((scope) => {
      const [type, name, actions] = scope.split(":");
      if (type !== "repository" || !name || !actions) return [];
      const granted = actions.split(",").filter((a) => a === "pull" || (a === "push" && user !== null));
      return [{ type, name, actions: granted }];
    });
    const token = mint(user ?? "", access);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        token,
        access_token: token,
        expires_in: options.expiresIn ?? 60,
        issued_at: new Date().toISOString(),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    certPath,
    requests: () => count,
    mint: (repository, actions) => mint("harness", [{ type: "repository", name: repository, actions: [...actions] }]),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function b64url(text: string): string {
  return Buffer.from(text).toString("base64url");
}

function basicUser(req: IncomingMessage, options: TokenServerOptions): string | null | "refused" {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (!match) return "refused";
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  return decoded === `${options.username}:${options.password}` ? options.username : "refused";
}
