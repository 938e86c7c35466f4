/**
 * Helm values (SPEC 2a): `values*.yaml` (and `.yml`, as Renovate reads them) beside a `Chart.yaml`. A mapping with `repository` and `tag`
 * (and optional `registry`, `digest`) at any depth is an image, `registry/repository:tag@digest`; the
 * digest is bumped where `digest` holds one, an empty `digest: ""` is filled under `pin`, and the tag
 * moves under `updateTags`. The chart's `templates/` are never read (kubernetes/ leaves them too).
 */
import { isAlias, isMap, isPair, isSeq, type YAMLMap } from "yaml";
import type { FoundReference } from "../../dockerfile/types.js";
import { fieldOf, firstLine, joint, lineAt, pieceOf, spreadReference } from "../fields.js";
import { skippedReference, type ImagePiece } from "../literal.js";
import { baseName, dirName, joinPath } from "../paths.js";
import type { Extractor } from "../types.js";
import { extractYaml, spend, type YamlContext } from "../yaml/index.js";

const VALUES_NAME = /^values[^/]*\.ya?ml$/;

export const helm: Extractor = {
  kind: "helm",
  matches: (path, tree) => VALUES_NAME.test(baseName(path)) && tree.has(joinPath(dirName(path), "Chart.yaml")),
  extract: (_path, content) =>
    content.includes("repository") && content.includes("tag") ? extractYaml(content, images) : NO_IMAGES,
};

const NO_IMAGES = { references: [], error: null };

/**
 * Every image mapping of the document, in file order. Aliases are not followed (an image defined once
 * is found once, at its anchor); merge keys are (`<<: *base` with its own `tag:` is an image of its own).
 */
function images(ctx: YamlContext): FoundReference[] {
  const found: FoundReference[] = [];
  const pending: unknown[] = [ctx.document.root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || node === undefined || isAlias(node)) continue;
    spend(ctx);
    if (isMap(node)) {
      if (isImage(node, ctx)) found.push(imageOf(node, ctx));
      for (let i = node.items.length - 1; i >= 0; i--) pending.push(node.items[i]!.value);
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) pending.push(node.items[i]);
    } else if (isPair(node)) {
      pending.push(node.value);
    }
  }
  return found;
}

function isImage(map: YAMLMap, ctx: YamlContext): boolean {
  return fieldOf(map, "repository", ctx).type !== "absent" && fieldOf(map, "tag", ctx).type !== "absent";
}

function imageOf(map: YAMLMap, ctx: YamlContext): FoundReference {
  const registry = fieldOf(map, "registry", ctx);
  const repository = fieldOf(map, "repository", ctx);
  const tag = fieldOf(map, "tag", ctx);
  const digest = fieldOf(map, "digest", ctx);
  const line = firstLine([digest, tag], lineAt(map, ctx));
  if (repository.type !== "string")
    return skippedReference(
      line,
      "",
      repository.type === "empty" ? "not-literal" : "not-a-string",
      "the repository is not a string",
    );
  if (registry.type === "other")
    return skippedReference(line, repository.value, "not-a-string", "the registry is not a string");
  const name: ImagePiece[] =
    registry.type === "string" ? [pieceOf(registry), joint("/"), pieceOf(repository)] : [pieceOf(repository)];
  return spreadReference({ name, tag, digest, tagKey: "tag", line });
}
