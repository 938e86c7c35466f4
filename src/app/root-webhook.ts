/**
 * Webhooks at `/` as well as at WEBHOOK_PATH. Probot's setup flow registers the App with the URL
 * the browser used plus `/` when WEBHOOK_PROXY_URL is not set (a server registered at its public
 * URL), while Probot serves webhooks only at WEBHOOK_PATH (`/api/github/webhooks`): without this,
 * every delivery to such an App is a 404. Deliveries here are verified with the same secret and
 * reach the same handlers; anything but a POST to `/` is left to the other routes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Probot } from "probot";

type Handler = (request: IncomingMessage, response: ServerResponse) => boolean | Promise<boolean>;

export function webhooksAtRoot(app: Probot): Handler {
  let middleware: Promise<Handler> | null = null;
  return async (request, response) => {
    if (request.method !== "POST" || new URL(request.url ?? "/", "http://localhost").pathname !== "/") return false;
    middleware ??= app.getNodeMiddleware({ path: "/" });
    return (await middleware)(request, response);
  };
}
