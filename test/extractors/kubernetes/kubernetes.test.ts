import { describe, expect, it } from "vitest";
import { extractorFor } from "../../../src/extractors/index.js";
import { kubernetes, mayBeManifest } from "../../../src/extractors/kubernetes/index.js";
import { DIGEST_A, seen } from "../support.js";

const tree = (...paths: string[]) => new Set(paths);

describe("kubernetes: which files", () => {
  it("reads any YAML file no other kind claims, and none under a Helm chart's templates/", () => {
    const paths = tree("deploy/app.yaml", "chart/Chart.yaml", "chart/templates/deployment.yaml", "templates/x.yaml");
    expect(extractorFor("deploy/app.yaml", paths)?.kind).toBe("kubernetes");
    expect(extractorFor("deploy/app.YML", paths)?.kind).toBe("kubernetes");
    expect(extractorFor("compose.yaml", paths)?.kind).toBe("compose");
    expect(extractorFor("chart/templates/deployment.yaml", paths)).toBeNull();
    expect(extractorFor("chart/templates/sub/deployment.yaml", paths)).toBeNull();
    // A templates/ folder without a Chart.yaml above it is an ordinary folder.
    expect(extractorFor("templates/x.yaml", paths)?.kind).toBe("kubernetes");
  });

  it("a YAML file that names no containers is not parsed at all", () => {
    expect(mayBeManifest("name: ci\non: push\njobs: {}\n")).toBe(false);
    // Not even when it is invalid YAML: nothing to report, nothing parsed.
    expect(kubernetes.extract("x.yaml", "a: [b\n  c: }\n")).toEqual({ references: [], error: null });
  });
});

const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}`;

describe("kubernetes: pod specs", () => {
  it("finds init, regular and ephemeral containers", () => {
    const text = pod(
      [
        "  initContainers:",
        "    - name: init",
        "      image: busybox:1.36",
        "  containers:",
        `    - {name: app, image: "nginx:1.25@${DIGEST_A}"}`,
        "  ephemeralContainers:",
        "    - name: debug",
        "      image: 'alpine:3.20'",
        "",
      ].join("\n"),
    );
    expect(seen(kubernetes, "pod.yaml", text).map((s) => [s.line, s.image, s.tag, s.digest])).toEqual([
      [8, "busybox:1.36", "1.36", null],
      [10, `nginx:1.25@${DIGEST_A}`, "1.25", DIGEST_A],
      [13, "alpine:3.20", "3.20", null],
    ]);
  });

  it.each([
    ["Deployment", "spec:\n  template:\n    spec:\n      containers:\n        - image: redis:7\n"],
    ["StatefulSet", "spec:\n  template:\n    spec:\n      containers:\n        - image: redis:7\n"],
    ["DaemonSet", "spec:\n  template:\n    spec:\n      containers:\n        - image: redis:7\n"],
    ["ReplicaSet", "spec:\n  template:\n    spec:\n      containers:\n        - image: redis:7\n"],
    ["ReplicationController", "spec:\n  template:\n    spec:\n      containers:\n        - image: redis:7\n"],
    ["Job", "spec:\n  template:\n    spec:\n      containers:\n        - image: redis:7\n"],
    [
      "CronJob",
      "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - image: redis:7\n",
    ],
    ["PodTemplate", "template:\n  spec:\n    containers:\n      - image: redis:7\n"],
  ])("%s", (kind, body) => {
    const text = `apiVersion: apps/v1\nkind: ${kind}\nmetadata:\n  name: x\n${body}`;
    expect(seen(kubernetes, "w.yaml", text).map((s) => s.image)).toEqual(["redis:7"]);
  });

  it("ignores documents that are not workloads, or have no apiVersion, or hold containers elsewhere", () => {
    const text = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "data:",
      "  containers: |",
      "    image: redis:7",
      "---",
      "kind: Pod",
      "spec:",
      "  containers:",
      "    - image: redis:7",
      "---",
      "apiVersion: example.com/v1",
      "kind: MyThing",
      "spec:",
      "  containers:",
      "    - image: redis:7",
      "---",
      "apiVersion: apps/v1",
      "kind: Deployment",
      "spec:",
      "  containers:",
      "    - image: redis:7",
      "",
    ].join("\n");
    expect(seen(kubernetes, "x.yaml", text)).toEqual([]);
  });

  it("reads every document of a multi-document file, CRLF and a BOM included", () => {
    const one = (n: number) => `apiVersion: v1\r\nkind: Pod\r\nspec:\r\n  containers:\r\n    - image: app${n}:1.0\r\n`;
    const text = `\uFEFF${one(1)}---\r\n${one(2)}...\r\n---\r\n${one(3)}`;
    expect(seen(kubernetes, "x.yaml", text).map((s) => [s.line, s.image, s.tag])).toEqual([
      [5, "app1:1.0", "1.0"],
      [11, "app2:1.0", "1.0"],
      [18, "app3:1.0", "1.0"],
    ]);
  });

  it("skips variables and kustomize/envsubst placeholders with a reason, never a guess", () => {
    const text = pod(
      [
        "  containers:",
        "    - image: $(IMAGE)",
        "    - image: ${REGISTRY}/app:1.0",
        "    - image: '{{ .Values.image }}'",
        "    - image: 7",
        "    - name: no-image",
        "",
      ].join("\n"),
    );
    expect(seen(kubernetes, "x.yaml", text).map((s) => [s.line, s.skip])).toEqual([
      [7, "not-literal"],
      [8, "not-literal"],
      [9, "not-literal"],
      [10, "not-a-string"],
    ]);
  });
});
