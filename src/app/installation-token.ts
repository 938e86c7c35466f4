/**
 * Installation-token refusals, named. Octokit fetches an installation's token lazily, inside the
 * first request; when GitHub refuses it, that request fails with the token endpoint's status, every
 * repository of the installation asks for the token again (with Probot's retries), and the logged
 * reason reads like the repository's own failure. The guard below lets one request of a scan or
 * cycle go first: if GitHub refuses its token, that request and every later one fail at once with
 * an InstallationTokenError naming the installation, GitHub's status and what to check; otherwise
 * the others go on with the cached token.
 */
import { describeError, statusOf, type GitHubClient } from "../github/index.js";

/** What the refusal means, by GitHub's status. */
function hint(status: number | null): string {
  switch (status) {
    case 401:
      return "GitHub refused the App's credentials: check APP_ID, PRIVATE_KEY and this machine's clock";
    case 403:
      return "the installation is suspended or GitHub refused this App a token";
    case 404:
      return "the App is no longer installed there (or APP_ID names another App)";
    default:
      return "GitHub did not answer as expected; the next delivery or cycle asks again";
  }
}

/** No `status` on purpose: callers must not take it for the repository's own 401/403/404. */
export class InstallationTokenError extends Error {
  readonly installationId: number;
  constructor(installationId: number, cause: unknown) {
    super(
      `no installation token for installation ${installationId} (${describeError(cause)}): ${hint(statusOf(cause))}`,
    );
    this.name = "InstallationTokenError";
    this.installationId = installationId;
  }
}

const TOKEN_URL = /\/app\/installations\/\d+\/access_tokens$/;

/** Octokit's RequestError of the token request itself (thrown by the auth hook). */
function isTokenRefusal(error: unknown): boolean {
  const url = (error as { request?: { url?: unknown } } | null)?.request?.url;
  return typeof url === "string" && TOKEN_URL.test(url);
}

/** `client` for one installation, with the refusal of its token reported once and named. */
export function guardInstallationToken<C extends GitHubClient>(client: C, installationId: number): C {
  type Request = GitHubClient["request"];
  let refused: InstallationTokenError | null = null;
  let first: Promise<unknown> | null = null;
  const call = async (...args: Parameters<Request>): Promise<unknown> => {
    try {
      return await client.request(...args);
    } catch (error) {
      if (isTokenRefusal(error)) refused ??= new InstallationTokenError(installationId, error);
      throw refused ?? error;
    }
  };
  const request = async (...args: Parameters<Request>): Promise<unknown> => {
    if (first) await first.catch(() => undefined);
    if (refused) throw refused;
    if (first) return call(...args);
    first = call(...args);
    return first;
  };
  const guarded = Object.assign(request, client.request) as unknown as Request;
  return new Proxy(client, {
    get: (target, key, receiver) => (key === "request" ? guarded : Reflect.get(target, key, receiver)),
  });
}

/** The App's client for one installation, guarded (runCycle's `installation`). */
export async function installationClient<C extends GitHubClient>(
  app: { auth(installationId: number): Promise<C> },
  installationId: number,
): Promise<C> {
  return guardInstallationToken(await app.auth(installationId), installationId);
}
