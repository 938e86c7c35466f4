/**
 * The upstream side of SPEC 11 that arrives by HTTP: registry push events (when
 * REPIN_REGISTRY_EVENTS_TOKEN is set) and GitHub Packages webhooks, both handed to `hint`.
 */
import type { ApplicationFunctionOptions, Probot } from "probot";
import { packageHint, type HintSink } from "../registry-events/index.js";
import { REGISTRY_EVENTS_PATH, registryEventsEndpoint } from "./registry-events.js";

/** Push notices: `registry_package` webhooks always, the registry events endpoint when a token is set. */
export function listenUpstream(
  app: Probot,
  appOptions: ApplicationFunctionOptions,
  upstream: { hint: HintSink; token: string | undefined },
): void {
  registerPackageEvents(app, upstream.hint);
  const token = upstream.token?.trim();
  if (!token) return void app.log.info("registry events endpoint off (REPIN_REGISTRY_EVENTS_TOKEN is not set)");
  appOptions.addHandler(registryEventsEndpoint({ token, hint: upstream.hint, log: app.log }));
  app.log.info(`registry events endpoint on at ${REGISTRY_EVENTS_PATH}`);
}

/**
 * GitHub Packages (SPEC 11): a container version published or updated in an installed account's
 * ghcr.io namespace is a hint for `ghcr.io/<owner>/<package>:<tag>`, like a registry push event.
 * Deliveries reach only installed accounts; one without an installation is ignored.
 */
function registerPackageEvents(app: Probot, hint: HintSink): void {
  app.on(["registry_package.published", "registry_package.updated"], async (context) => {
    const seenAt = Date.now();
    const { payload } = context;
    if (!payload.installation)
      return void context.log.warn({ delivery: context.id }, "registry_package without installation; ignored");
    const hints = packageHint(payload);
    if (hints.length === 0)
      return void context.log.debug(
        { delivery: context.id, type: payload.registry_package.package_type },
        "registry_package: not a tagged container version; ignored",
      );
    for (const tag of hints) hint(tag, seenAt);
  });
}
