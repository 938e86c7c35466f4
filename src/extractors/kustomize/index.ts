/**
 * Kustomize (SPEC 2a): `kustomization.yaml`, `kustomization.yml`, `Kustomization`; each `images[]`
 * entry `{name, newName?, newTag?, digest?}` names `newName` (else `name`) at `newTag`. The digest is
 * bumped where `digest` holds one, an empty `digest: ""` is filled under `pin`, and `newTag` moves
 * under `updateTags`.
 */
import type { YAMLMap } from "yaml";
import type { FoundReference } from "../../dockerfile/types.js";
import { fieldOf, firstLine, lineAt, pieceOf, spreadReference } from "../fields.js";
import { skippedReference } from "../literal.js";
import { baseName } from "../paths.js";
import type { Extractor } from "../types.js";
import { asMap, asSeq, extractYaml, get, items, type YamlContext } from "../yaml/index.js";

const KUSTOMIZATION_NAMES: ReadonlySet<string> = new Set(["kustomization.yaml", "kustomization.yml", "Kustomization"]);

export const kustomize: Extractor = {
  kind: "kustomize",
  matches: (path) => KUSTOMIZATION_NAMES.has(baseName(path)),
  extract: (_path, content) => extractYaml(content, images),
};

function images(ctx: YamlContext): FoundReference[] {
  const root = asMap(ctx.document.root, ctx);
  const list = root && asSeq(get(root, "images", ctx), ctx);
  if (!list) return [];
  return items(list, ctx).flatMap((node) => {
    const entry = asMap(node, ctx);
    return entry ? [imageOf(entry, ctx)] : [];
  });
}

function imageOf(entry: YAMLMap, ctx: YamlContext): FoundReference {
  const name = fieldOf(entry, "name", ctx);
  const newName = fieldOf(entry, "newName", ctx);
  const tag = fieldOf(entry, "newTag", ctx);
  const digest = fieldOf(entry, "digest", ctx);
  const line = firstLine([digest, tag, newName, name], lineAt(entry, ctx));
  const image = newName.type === "absent" ? name : newName;
  if (image.type !== "string") {
    const key = newName.type === "absent" ? "name" : "newName";
    return skippedReference(line, "", "not-a-string", `the image's ${key} is not a string`);
  }
  return spreadReference({ name: [pieceOf(image)], tag, digest, tagKey: "newTag", line });
}
