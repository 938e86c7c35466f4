/**
 * GitHub workflows (SPEC 2a): `.github/workflows/*.yml` / `*.yaml` (GitHub reads no other folder).
 * The images are `jobs.<id>.container` (a string, or its `image`), `jobs.<id>.services.<id>.image`
 * and `steps[].uses: docker://<image>`. An expression `${{ … }}` is a `not-literal` skip.
 */
import { isScalar, type Node, type YAMLMap } from "yaml";
import type { FoundReference } from "../../dockerfile/types.js";
import { literalReference } from "../literal.js";
import type { Extractor } from "../types.js";
import { lineAt } from "../fields.js";
import { asMap, asSeq, entries, extractYaml, get, imageAt, items, resolve, scalarText } from "../yaml/index.js";
import type { YamlContext } from "../yaml/index.js";

const WORKFLOW_PATH = /^\.github\/workflows\/[^/]+\.ya?ml$/;
const DOCKER_STEP = "docker://";

export const workflow: Extractor = {
  kind: "workflow",
  matches: (path) => WORKFLOW_PATH.test(path),
  extract: (_path, content) => extractYaml(content, jobs),
};

function jobs(ctx: YamlContext): FoundReference[] {
  const root = asMap(ctx.document.root, ctx);
  const list = root && asMap(get(root, "jobs", ctx), ctx);
  if (!list) return [];
  return entries(list, ctx).flatMap(([, node]) => {
    const job = asMap(node, ctx);
    return job ? [...container(job, ctx), ...services(job, ctx), ...dockerSteps(job, ctx)] : [];
  });
}

/** `container: image` or `container: {image: …}`. */
function container(job: YAMLMap, ctx: YamlContext): FoundReference[] {
  const node = get(job, "container", ctx);
  if (node === null) return [];
  const asMapping = asMap(node, ctx);
  const image = asMapping ? get(asMapping, "image", ctx) : node;
  return image ? [imageAt(image, ctx)] : [];
}

function services(job: YAMLMap, ctx: YamlContext): FoundReference[] {
  const list = asMap(get(job, "services", ctx), ctx);
  if (!list) return [];
  return entries(list, ctx).flatMap(([, node]) => {
    const service = asMap(node, ctx);
    const image = service && get(service, "image", ctx);
    return image ? [imageAt(image, ctx)] : [];
  });
}

/** `uses: docker://alpine:3.20`: the image after the scheme, its characters where the scalar's are. */
function dockerSteps(job: YAMLMap, ctx: YamlContext): FoundReference[] {
  const steps = asSeq(get(job, "steps", ctx), ctx);
  if (!steps) return [];
  return items(steps, ctx).flatMap((node) => {
    const step = asMap(node, ctx);
    const uses: Node | null = step && get(step, "uses", ctx);
    const target = uses && resolve(uses, ctx);
    if (!uses || !isScalar(target) || typeof target.value !== "string") return [];
    const { value, start } = scalarText(target, ctx.text);
    if (!value.startsWith(DOCKER_STEP)) return [];
    const at = start === null ? null : start + DOCKER_STEP.length;
    return [literalReference({ value: value.slice(DOCKER_STEP.length), start: at, line: lineAt(uses, ctx) })];
  });
}
