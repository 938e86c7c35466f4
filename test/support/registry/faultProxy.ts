import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type FaultAction =
  /** Answer with this status (and Retry-After when given) without asking the registry. */
  | { readonly type: "status"; readonly status: number; readonly retryAfter?: string }
  /** Wait, then forward (a client with a shorter timeout gives up first). */
  | { readonly type: "delay"; readonly ms: number }
  /** Forward, but replace Docker-Content-Digest with a lie. */
  | { readonly type: "lie-digest"; readonly digest?: string }
  /** Forward, but remove Docker-Content-Digest. */
  | { readonly type: "strip-digest" }
  /** Forward, adding these response headers (e.g. `RateLimit-Remaining: 0`). */
  | { readonly type: "headers"; readonly headers: Readonly<Record<string, string>> }
  /** Close the connection without an answer. */
  | { readonly type: "drop" }
  /** Answer with a redirect (default 307) to `location`, as registries do for blobs kept elsewhere. */
  | { readonly type: "redirect"; readonly location: string; readonly status?: number }
  /**
   * Answer a tag list page with these tags without asking the registry; with `next`, link to a
   * "next page" whose URL differs each time (a registry that serves the same page forever).
   */
  | { readonly type: "tag-page"; readonly tags: readonly string[]; readonly next?: boolean };

export interface Fault {
  readonly method?: string;
  /** Substring or pattern the request path (with query) must match. */
  readonly path?: string | RegExp;
  /** How many matching requests it applies to (default 1; Infinity for all). */
  readonly times?: number;
  readonly action: FaultAction;
}

export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number | null;
  readonly fault: FaultAction["type"] | null;
  /** Whether the request carried an Authorization header (its value is never kept). */
  readonly authorization: boolean;
  /** The scheme of that header ("Basic", "Bearer"), or null. */
  readonly authScheme: string | null;
  /** Milliseconds since the proxy started. */
  readonly at: number;
}

export interface FaultProxy {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `127.0.0.1:PORT`: use as the registry part of a RepositoryName. */
  readonly host: string;
  /** Queue a fault; the first queued fault that matches a request and has uses left applies. */
  add(fault: Fault): void;
  /** Drop the faults still queued. */
  clear(): void;
  requests(): ProxiedRequest[];
  stop(): Promise<void>;
}

export const lyingDigest = `sha256:${"0".repeat(64)}`;

export interface FaultProxyOptions {
  /** Serve `/v2/<name>/tags/list` in pages of `n` with `Link` headers (distribution 2.8 ignores `n`). */
  readonly paginateTags?: boolean;
}

/** An HTTP proxy in front of a real registry that injects the faults it is told to, in order. */
export async function startFaultProxy(targetUrl: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const queue: { fault: Fault; left: number }[] = [];
  const seen: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const started = Date.now();

  const take = (req: IncomingMessage): FaultAction | null => {
    const path = req.url ?? "/";
    const entry = queue.find(
      ({ fault, left }) => left > 0 && (!fault.method || fault.method === req.method) && matches(fault.path, path),
    );
    if (!entry) return null;
    entry.left--;
    return entry.fault.action;
  };

  const server = createServer(async (req, res) => {
    const action = take(req);
    const record = (status: number | null): void => {
      seen.push({
        method: req.method ?? "",
        path: req.url ?? "",
        status,
        fault: action?.type ?? null,
        authorization: req.headers.authorization !== undefined,
        authScheme: req.headers.authorization?.split(" ")[0] ?? null,
        at: Date.now() - started,
      });
    };
    if (action?.type === "drop") {
      record(null);
      req.socket.destroy();
      return;
    }
    if (action?.type === "redirect") {
      record(action.status ?? 307);
      res.writeHead(action.status ?? 307, { location: action.location });
      res.end();
      return;
    }
    if (action?.type === "tag-page") {
      record(200);
      const path = (req.url ?? "/").split("?")[0]!;
      const link = `<${path}?n=${action.tags.length}&last=${action.tags.at(-1) ?? ""}&page=${seen.length}>; rel="next"`;
      res.writeHead(200, { "content-type": "application/json", ...(action.next ? { link } : {}) });
      res.end(JSON.stringify({ name: path, tags: action.tags }));
      return;
    }
    if (action?.type === "status") {
      record(action.status);
      res.writeHead(action.status, {
        "content-type": "application/json",
        ...(action.retryAfter ? { "retry-after": action.retryAfter } : {}),
      });
      res.end(JSON.stringify({ errors: [{ code: "INJECTED", message: `injected ${action.status}` }] }));
      return;
    }
    if (action?.type === "delay") await new Promise((resolve) => setTimeout(resolve, action.ms));
    if (req.socket.destroyed) return record(null);
    const tagPage =
      options.paginateTags && req.method === "GET" ? /^\/v2\/(.+)\/tags\/list(\?.*)?$/.exec(req.url ?? "") : null;
    if (tagPage) return paginate(req, res, target, tagPage[1]!, new URLSearchParams(tagPage[2] ?? ""), record);
    forward(req, res, target, action, record);
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    add: (fault) => queue.push({ fault, left: fault.times ?? 1 }),
    clear: () => void queue.splice(0),
    requests: () => [...seen],
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function matches(pattern: string | RegExp | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  return typeof pattern === "string" ? path.includes(pattern) : pattern.test(path);
}

function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  action: FaultAction | null,
  record: (status: number | null) => void,
): void {
  const upstream = httpRequest(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      const headers = { ...answer.headers };
      if (action?.type === "lie-digest") headers["docker-content-digest"] = action.digest ?? lyingDigest;
      if (action?.type === "strip-digest") delete headers["docker-content-digest"];
      if (action?.type === "headers") Object.assign(headers, action.headers);
      record(answer.statusCode ?? null);
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => {
    record(502);
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
}

/** Reads the full tag list from the registry and serves the page after `last`, like distribution 3 does. */
function paginate(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  name: string,
  query: URLSearchParams,
  record: (status: number | null) => void,
): void {
  const upstream = httpRequest(
    { host: target.hostname, port: target.port, method: "GET", path: `/v2/${name}/tags/list`, headers: req.headers },
    (answer) => {
      const chunks: Buffer[] = [];
      answer.on("data", (chunk: Buffer) => chunks.push(chunk));
      answer.on("end", () => {
        const status = answer.statusCode ?? 502;
        if (status !== 200) {
          record(status);
          res.writeHead(status, answer.headers);
          return res.end(Buffer.concat(chunks));
        }
        const all = (
          (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { tags: string[] | null }).tags ?? []
        ).sort();
        const n = Number(query.get("n") ?? all.length) || all.length;
        const last = query.get("last");
        const start = last ? all.findIndex((tag) => tag > last) : 0;
        const page = start < 0 ? [] : all.slice(start, start + n);
        const headers: Record<string, string> = { "content-type": "application/json" };
        const lastTag = page.at(-1);
        if (lastTag !== undefined && all.indexOf(lastTag) < all.length - 1) {
          headers.link = `</v2/${name}/tags/list?n=${n}&last=${encodeURIComponent(lastTag)}>; rel="next"`;
        }
        record(200);
        res.writeHead(200, headers);
        res.end(JSON.stringify({ name, tags: page }));
      });
    },
  );
  upstream.on("error", () => {
    record(502);
    res.writeHead(502);
    res.end();
  });
  upstream.end();
}
