import { createHash } from "node:crypto";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface EtagProxy {
  /** `127.0.0.1:PORT` */
  readonly host: string;
  /** Requests seen: method, path, the status answered, and whether it was conditional. */
  requests(): { method: string; path: string; status: number; conditional: boolean }[];
  stop(): Promise<void>;
}

/**
 * A loopback proxy in front of a registry that gives tag lists an `ETag` (a hash of the body) and
 * answers `If-None-Match` with 304, as Docker Hub and GHCR do; distribution 2.8 sends no ETag there.
 */
export async function startEtagProxy(targetUrl: string): Promise<EtagProxy> {
  const target = new URL(targetUrl);
  const seen: { method: string; path: string; status: number; conditional: boolean }[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    const conditional = typeof req.headers["if-none-match"] === "string";
    const headers = { ...req.headers, host: target.host };
    delete headers["if-none-match"];
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path, headers },
      (up) => {
        const chunks: Buffer[] = [];
        up.on("data", (chunk: Buffer) => chunks.push(chunk));
        up.on("end", () => {
          const body = Buffer.concat(chunks);
          const out = { ...up.headers };
          let status = up.statusCode ?? 502;
          if (/\/tags\/list(\?|$)/.test(path) && status === 200) {
            const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"`;
            out.etag = etag;
            if (req.headers["if-none-match"] === etag) status = 304;
          }
          seen.push({ method: req.method ?? "", path, status, conditional });
          if (status === 304) {
            delete out["content-length"];
            res.writeHead(304, out).end();
          } else res.writeHead(status, out).end(body);
        });
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => [...seen],
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
