import { startScriptedServer, type ScriptedServer } from "./scriptedServer.js";

/** OSC 52 (set the clipboard) and a screen clear: what a hostile registry puts in its error text. */
export const terminalAttack = "\u001b]52;c;cm0gLXJmIH4=\u0007\u001b[2J\u009b31m";

/** The token its token service hands out, so tests can look for it in output. */
export const hostileToken = "hostile-token-0123456789abcdef";

/**
 * A registry and token service on one loopback port that reflect what they are sent: the token
 * service refuses `deny/*` with the request's Authorization header (and its Basic credentials decoded) in its error message; the
 * registry refuses HEAD (so clients GET) and answers every GET with a 404 that repeats the
 * Authorization header it got. Both put terminal escape sequences into messages and codes.
 */
export function startHostileRegistry(): Promise<ScriptedServer> {
  return startScriptedServer((req, res, server) => {
    const url = new URL(req.url ?? "/", server.url);
    const reflect = (status: number, what: string): void => {
      const sent = req.headers.authorization ?? "";
      // Basic credentials decoded too, as a server that logs "user:password" into its answer would.
      const decoded = sent.startsWith("Basic ") ? Buffer.from(sent.slice(6), "base64").toString("utf8") : "";
      res.writeHead(status, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          errors: [{ code: `DENIED${terminalAttack}`, message: `${what}${terminalAttack}: ${sent} ${decoded}` }],
        }),
      );
    };
    if (url.pathname === "/token") {
      if (url.searchParams.get("scope")?.includes(":deny/")) return reflect(401, "bad login");
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ token: hostileToken }));
    }
    if (!req.headers.authorization?.startsWith("Bearer ")) {
      res.writeHead(401, { "www-authenticate": `Bearer realm="${server.url}/token",service="hostile"` });
      return res.end();
    }
    if (req.method === "HEAD") {
      res.writeHead(405);
      return res.end();
    }
    reflect(404, "no such manifest");
  });
}
