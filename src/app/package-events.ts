import type { Probot } from "probot";
import { packageHint, type HintSink } from "../registry-events/index.js";

/**
 * GitHub Packages (SPEC 11): a container version published or updated in an installed account's
 * ghcr.io namespace is a hint for `ghcr.io/<owner>/<package>:<tag>`, like a registry push event.
 * Deliveries reach only installed accounts; one without an installation is ignored.
 */
export function registerPackageEvents(app: Probot, hint: HintSink): void {
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
