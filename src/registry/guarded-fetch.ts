import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { Readable } from "node:stream";
import { checkedLookup, isInternalAddress, isListedHost, InternalAddressError, type AddressGuard } from "./address.js";

/** The part of `fetch` the transport uses (manual redirects, string bodies). */
export type FetchLike = (
  url: URL,
  init: {
    readonly method: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: string;
    readonly signal: AbortSignal;
  },
) => Promise<Response>;

const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/**
 * `fetch` over node:http(s) whose sockets connect only after the resolved address was checked
 * (`checkedLookup`); an address literal in the URL is checked directly, since Node does not look
 * it up. Hosts the operator listed skip the check. An internal address fails with
 * `InternalAddressError` before any connection.
 */
export function guardedFetch(guard: AddressGuard): FetchLike {
  const lookup = checkedLookup(guard.lookup);
  const agents = { "http:": new HttpAgent({ keepAlive: true }), "https:": new HttpsAgent({ keepAlive: true }) };
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const listed = isListedHost(url.host, guard.privateRegistries);
      const hostname = url.hostname.replace(/^\[|\]$/g, "");
      if (!listed && isIP(hostname) && isInternalAddress(hostname)) {
        return reject(new InternalAddressError(url.host, hostname));
      }
      if (init.signal.aborted) return reject(abortError(init.signal));
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const agent = url.protocol === "https:" ? agents["https:"] : agents["http:"];
      const request = send(url, {
        method: init.method,
        headers: init.headers,
        agent,
        signal: init.signal,
        ...(listed ? {} : { lookup: lookup as never }),
      });
      // `on`, not `once`: a socket can fail again after the answer began, and an unheard error would crash.
      request.on("error", (error) => {
        if (error instanceof InternalAddressError) return reject(error);
        if (init.signal.aborted) return reject(abortError(init.signal));
        reject(new TypeError("fetch failed", { cause: error }));
      });
      request.once("response", (message) => resolve(toResponse(message, init.method)));
      request.end(init.body);
    });
}

function toResponse(message: IncomingMessage, method: string): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const status = message.statusCode ?? 0;
  const empty = method === "HEAD" || nullBodyStatuses.has(status);
  if (empty) message.resume();
  const body = empty ? null : (Readable.toWeb(message) as ReadableStream<Uint8Array>);
  // Response refuses statuses outside 200-599; a registry that sends one gets a 502 in its place.
  return new Response(body, { status: status >= 200 && status <= 599 ? status : 502, headers });
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException("aborted", "AbortError");
}
