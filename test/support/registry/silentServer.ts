import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface SilentServer {
  /** `127.0.0.1:PORT` */
  readonly host: string;
  /** TCP connections accepted so far. */
  connections(): number;
  stop(): Promise<void>;
}

/** A loopback host that accepts connections and never answers: a registry that hangs. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => count,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
