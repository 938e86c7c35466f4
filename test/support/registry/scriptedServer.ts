import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface ScriptedRequest {
  readonly method: string;
  readonly path: string;
  /** The Authorization header as received: tests assert which credentials reached which host. */
  readonly authorization: string | null;
}

export interface ScriptedServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `127.0.0.1:PORT` */
  readonly host: string;
  requests(): ScriptedRequest[];
  stop(): Promise<void>;
}

export type ScriptedHandler = (req: IncomingMessage, res: ServerResponse, server: { url: string }) => void;

/**
 * A loopback HTTP server that answers as `handler` says: a hostile or broken registry, token
 * server or CDN that the real registry cannot play. It records what it was sent.
 */
export async function startScriptedServer(handler: ScriptedHandler): Promise<ScriptedServer> {
  const seen: ScriptedRequest[] = [];
  const sockets = new Set<Socket>();
  let url = "";
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization ?? null });
    handler(req, res, { url });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    host: `127.0.0.1:${port}`,
    requests: () => [...seen],
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
