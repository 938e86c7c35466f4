/**
 * Kubernetes manifests (SPEC 2a): any `*.yaml` / `*.yml` document, multi-document files included,
 * with top-level `apiVersion` and a workload `kind`, not under a Helm chart's `templates/`. The
 * images are the pod spec's `containers`, `initContainers` and `ephemeralContainers`. A YAML file
 * that names no containers costs three substring checks, not a parse.
 */
import type { YAMLMap } from "yaml";
import type { FoundReference } from "../../dockerfile/types.js";
import { isUnderHelmTemplates, isYamlPath } from "../paths.js";
import type { Extractor } from "../types.js";
import { asMap, asSeq, extractYaml, get, imageAt, items, stringAt, type YamlContext } from "../yaml/index.js";

/** Where each workload kind keeps its pod spec, from the document's root. */
const POD_SPEC: Readonly<Record<string, readonly string[]>> = {
  Pod: ["spec"],
  PodTemplate: ["template", "spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

const CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"] as const;

export const kubernetes: Extractor = {
  kind: "kubernetes",
  matches: (path, tree) => isYamlPath(path) && !isUnderHelmTemplates(path, tree),
  extract: (_path, content) => (mayBeManifest(content) ? extractYaml(content, workloads) : NOT_A_MANIFEST),
};

const NOT_A_MANIFEST = { references: [], error: null };

/** Every workload names `containers`; without the words below no document can be one. */
export function mayBeManifest(content: string): boolean {
  return content.includes("containers") && content.includes("apiVersion") && content.includes("kind");
}

function workloads(ctx: YamlContext): FoundReference[] {
  const root = asMap(ctx.document.root, ctx);
  if (!root || get(root, "apiVersion", ctx) === null) return [];
  const kind = stringAt(get(root, "kind", ctx), ctx);
  const path = kind !== null && Object.hasOwn(POD_SPEC, kind) ? POD_SPEC[kind]! : null;
  const spec = path && path.reduce<YAMLMap | null>((node, key) => node && asMap(get(node, key, ctx), ctx), root);
  if (!spec) return [];
  return CONTAINER_LISTS.flatMap((list) => {
    const containers = asSeq(get(spec, list, ctx), ctx);
    if (!containers) return [];
    return items(containers, ctx).flatMap((node) => {
      const container = asMap(node, ctx);
      const image = container && get(container, "image", ctx);
      return image ? [imageAt(image, ctx)] : [];
    });
  });
}
