/**
 * Compose files and Kubernetes manifests from public repositories (sources.json says where each came
 * from, byte for byte): extraction through the registry of kinds finds exactly the images read by
 * hand, on their lines, and the tag ranges hold the tag characters.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { extractorFor } from "../../../src/extractors/index.js";

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const read = (name: string): string => readFileSync(here(`./fixtures/${name}`), "utf8");
const sources = JSON.parse(readFileSync(here("./sources.json"), "utf8")) as Record<string, { commit: string }>;
const fixtures = ["compose", "kubernetes"].flatMap((kind) =>
  readdirSync(here(`./fixtures/${kind}/`)).map((file) => `${kind}/${file}`),
);

/** Read by hand from each file: [line, image as written]. */
const expected: Record<string, { kind: string; images: [number, string][] }> = {
  "compose/react-java-mysql.compose.yaml": {
    kind: "compose",
    // `#image: mysql:8.0.19` on line 19 is a comment; backend and frontend only build.
    images: [[17, "mariadb:10.6.4-focal"]],
  },
  "compose/elasticsearch-logstash-kibana.compose.yaml": {
    kind: "compose",
    images: [
      [3, "elasticsearch:7.16.1"],
      [19, "logstash:7.16.1"],
      [38, "kibana:7.16.1"],
    ],
  },
  // The StorageClass document after `---` names no image.
  "kubernetes/cassandra-statefulset.yaml": {
    kind: "kubernetes",
    images: [[21, "gcr.io/google-samples/cassandra:v14"]],
  },
  // Four documents: two Services and a PodDisruptionBudget, then a StatefulSet with an init container.
  "kubernetes/cockroachdb-statefulset.yaml": {
    kind: "kubernetes",
    images: [
      [101, "cockroachdb/cockroach-k8s-init:0.2"],
      [128, "cockroachdb/cockroach:v1.1.0"],
    ],
  },
  "kubernetes/javaweb-pod.yaml": {
    kind: "kubernetes",
    images: [
      [7, "resouer/sample:v1"],
      [14, "resouer/mytomcat:7.0"],
    ],
  },
  // Six documents, three Deployments; the comment after the first image is not one.
  "kubernetes/guestbook-all-in-one.yaml": {
    kind: "kubernetes",
    images: [
      [38, "registry.k8s.io/redis:e2e"],
      [82, "gcr.io/google_samples/gb-redisslave:v1"],
      [135, "gcr.io/google-samples/gb-frontend:v5"],
    ],
  },
  // CronJob: spec.jobTemplate.spec.template.spec.containers; untagged, so nothing to follow.
  "kubernetes/cronjob.yaml": { kind: "kubernetes", images: [[13, "busybox"]] },
};

describe("real-world compose files and Kubernetes manifests", () => {
  it("every fixture has a source and an expectation, and nothing else does", () => {
    expect(Object.keys(sources).sort()).toEqual([...fixtures].sort());
    expect(Object.keys(expected).sort()).toEqual([...fixtures].sort());
    for (const s of Object.values(sources)) expect(s.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it.each(fixtures)("%s: exactly the images read by hand, each tag range on its tag", (name) => {
    const text = read(name);
    const path = name.slice(name.indexOf("/") + 1).replace(/^.*\.(compose\.yaml)$/, "$1");
    const extractor = extractorFor(path, { has: () => false })!;
    expect(extractor.kind).toBe(expected[name]!.kind);
    const result = extractor.extract(path, text);
    expect(result.error).toBeNull();
    expect(result.references.map((r) => [r.line, r.expanded])).toEqual(expected[name]!.images);
    for (const r of result.references) {
      expect(r.skip).toBeNull();
      if (r.ref?.tag) expect(text.slice(r.tagRange!.start, r.tagRange!.end)).toBe(r.ref.tag);
      else expect(r.tagRange).toBeNull();
    }
  });
});
