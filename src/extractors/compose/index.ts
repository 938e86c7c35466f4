/**
 * Compose files (SPEC 2a): `compose.yaml`, `docker-compose.yml`, `compose.<anything>.yaml`, …;
 * the images are `services.<name>.image`, with the service's fixed `platform:` when it has one.
 */
import type { FoundReference } from "../../dockerfile/types.js";
import { baseName } from "../paths.js";
import type { Extractor } from "../types.js";
import { asMap, entries, extractYaml, get, imageAt, stringAt, type YamlContext } from "../yaml/index.js";

const COMPOSE_NAME = /^(docker-)?compose(\.[^/]+)?\.ya?ml$/;

export const compose: Extractor = {
  kind: "compose",
  matches: (path) => COMPOSE_NAME.test(baseName(path)),
  extract: (_path, content) => extractYaml(content, services),
};

function services(ctx: YamlContext): FoundReference[] {
  const root = asMap(ctx.document.root, ctx);
  const list = root && asMap(get(root, "services", ctx), ctx);
  if (!list) return [];
  return entries(list, ctx).flatMap(([, node]) => {
    const service = asMap(node, ctx);
    const image = service && get(service, "image", ctx);
    if (!service || !image) return [];
    const platform = get(service, "platform", ctx);
    return [imageAt(image, ctx, platform ? stringAt(platform, ctx) : null)];
  });
}
