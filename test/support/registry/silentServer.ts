import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface SilentServer {
  /** `127.0.0.1:PORT` */
  readonly host: string;
  /** TCP connections accepted so far. */
  connections(): number;
  /** Connections on which the client sent something (a request), so far. */
  requests(): number;
  stop(): Promise<void>;
}

/** A loopback host that accepts connections and never answers: a registry that hangs. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let count = 0;
  let asked = 0;
  const server = createServer((socket) => {
    count++;
    socket.once("data", () => asked++);
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => count,
    requests: () => asked,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
