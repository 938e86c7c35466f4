import type { Credentials, Keychain } from "./credentials.js";
import { RegistryError, errorFromResponse } from "./errors.js";
import { type Challenge, parseWwwAuthenticate } from "./headers.js";
import type { Redactor } from "./redact.js";
import type { HttpRequest, HttpResponse, Transport } from "./transport.js";

export interface AuthOptions {
  /** Normalized registry name the keychain is asked about (e.g. "docker.io"). */
  readonly registry: string;
  readonly keychain: Keychain;
  readonly now?: () => number;
  /** Told every credential this layer sends, so error messages never repeat one. */
  readonly redactor?: Redactor;
}

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

const maxTokenBytes = 1024 * 1024;
const defaultTokenSeconds = 60;
const credentialsTtlMs = 5 * 60_000;

/**
 * Answers 401 challenges for one registry: Bearer tokens per scope (cached until `expires_in`),
 * or Basic credentials. Once a challenge is known, later requests send credentials up front.
 * Only a challenge from the host the request was for counts.
 */
export function authTransport(next: Transport, options: AuthOptions): Transport {
  const now = options.now ?? Date.now;
  let challenge: Challenge | null = null;
  const tokens = new Map<string, Promise<CachedToken>>();
  // Credential helpers are processes: ask the keychain again only after a refusal or a few minutes.
  let credentials: { value: Promise<Credentials | null>; at: number } | null = null;
  const credentialsFor = (fresh: boolean): Promise<Credentials | null> => {
    if (fresh || !credentials || now() - credentials.at > credentialsTtlMs) {
      const value = options.keychain.resolve(options.registry);
      value.then(
        (found) => found && rememberCredentials(found, options.redactor),
        () => undefined,
      );
      credentials = { value, at: now() };
    }
    return credentials.value;
  };

  const scopeOf = (request: HttpRequest, fromChallenge: string | null): string | null =>
    request.repository ? `repository:${request.repository}:pull` : fromChallenge;

  async function authorization(request: HttpRequest, fresh: boolean): Promise<string | null> {
    if (!challenge) return null;
    if (challenge.scheme === "basic") {
      const found = await credentialsFor(fresh);
      return found?.kind === "basic" ? basicHeader(found) : null;
    }
    const bearer = challenge;
    const scope = scopeOf(request, bearer.scope);
    const key = scope ?? "";
    const cached = tokens.get(key);
    if (cached && !fresh) {
      const token = await cached.catch(() => null);
      if (token && token.expiresAt > now()) return `Bearer ${token.token}`;
    }
    const pending = credentialsFor(fresh).then(async (found) => {
      const token = await fetchToken(next, {
        challenge: bearer,
        scope,
        credentials: found,
        now,
        signal: request.signal,
      });
      options.redactor?.remember(token.token);
      return token;
    });
    tokens.set(key, pending);
    pending.catch(() => tokens.delete(key));
    return `Bearer ${(await pending).token}`;
  }

  const send = async (request: HttpRequest, header: string | null): Promise<HttpResponse> =>
    next(header ? { ...request, headers: { ...request.headers, authorization: header } } : request);

  return async (request) => {
    const first = await send(request, await authorization(request, false));
    if (first.status !== 401) return first;
    // A 401 from where a redirect led is that host's challenge, not this registry's: adopting it
    // would send this registry's credentials to its realm and its token back here.
    if (first.url.origin !== request.url.origin) return first;
    const offered = parseWwwAuthenticate(first.headers.get("www-authenticate"));
    if (!offered) return first;
    challenge = offered;
    const header = await authorization(request, true);
    if (!header) return first;
    return send(request, header);
  };
}

function rememberCredentials(credentials: Credentials, redactor: Redactor | undefined): void {
  if (credentials.kind === "identity-token") return redactor?.remember(credentials.identityToken);
  redactor?.remember(credentials.password);
  redactor?.remember(basicHeader(credentials).slice("Basic ".length));
}

function basicHeader(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
}

interface TokenRequest {
  readonly challenge: Extract<Challenge, { scheme: "bearer" }>;
  readonly scope: string | null;
  readonly credentials: Credentials | null;
  readonly now: () => number;
  /** The deadline of the operation that needs the token. */
  readonly signal: AbortSignal | undefined;
}

/** GET the realm (or POST with an identity token) for a token; the token itself never reaches an error message. */
async function fetchToken(
  next: Transport,
  { challenge, scope, credentials, now, signal }: TokenRequest,
): Promise<CachedToken> {
  let realm: URL;
  try {
    realm = new URL(challenge.realm);
  } catch {
    throw new RegistryError({ kind: "bad-response", message: "the registry's Bearer challenge has an invalid realm" });
  }
  const params = new URLSearchParams();
  if (challenge.service) params.set("service", challenge.service);
  if (scope) params.set("scope", scope);
  const request: HttpRequest =
    credentials?.kind === "identity-token"
      ? {
          method: "POST",
          url: realm,
          maxBytes: maxTokenBytes,
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            grant_type: "refresh_token",
            refresh_token: credentials.identityToken,
            client_id: "repin",
            ...Object.fromEntries(params),
          }).toString(),
        }
      : {
          method: "GET",
          url: withParams(realm, params),
          maxBytes: maxTokenBytes,
          headers: credentials?.kind === "basic" ? { authorization: basicHeader(credentials) } : {},
        };
  const response = await next({ ...request, signal });
  const what = `a token for ${scope ?? "the registry"}`;
  if (response.status !== 200) throw errorFromResponse(response, request.method, request.url, what);
  let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown };
  try {
    parsed = JSON.parse(response.body.toString("utf8")) as typeof parsed;
  } catch {
    throw badTokenResponse(request, "is not JSON");
  }
  const token = typeof parsed.token === "string" && parsed.token ? parsed.token : parsed.access_token;
  if (typeof token !== "string" || !token) throw badTokenResponse(request, "has no token");
  const seconds =
    typeof parsed.expires_in === "number" && parsed.expires_in > 0 ? parsed.expires_in : defaultTokenSeconds;
  return { token, expiresAt: now() + seconds * 1000 };
}

function withParams(url: URL, params: URLSearchParams): URL {
  const copy = new URL(url);
  for (const [key, value] of params) copy.searchParams.set(key, value);
  return copy;
}

const badTokenResponse = (request: HttpRequest, problem: string): RegistryError =>
  new RegistryError({
    kind: "bad-response",
    status: 200,
    method: request.method,
    url: request.url,
    message: `token response from ${request.url.host} ${problem}`,
  });
