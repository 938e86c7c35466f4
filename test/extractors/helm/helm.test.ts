import { describe, expect, it } from "vitest";
import { extractorFor } from "../../../src/extractors/index.js";
import { helm } from "../../../src/extractors/helm/index.js";
import { after, digest, expectSourcesFor, fixtures, plan } from "../kinds-support.js";
import { seen } from "../support.js";

const here = new URL("./", import.meta.url);
const CHART = { has: (path: string) => path === "chart/Chart.yaml" };
const CHART_FILE = { path: "chart/Chart.yaml", content: "apiVersion: v2\nname: app\nversion: 1.0.0\n" };

describe("helm: which files", () => {
  it.each(["chart/values.yaml", "chart/values.yml", "chart/values-prod.yaml", "chart/values.production.yaml"])(
    "reads %s beside a Chart.yaml",
    (path) => {
      expect(extractorFor(path, CHART)?.kind).toBe("helm");
    },
  );

  it("a values file with no Chart.yaml beside it is any YAML file", () => {
    expect(extractorFor("other/values.yaml", CHART)?.kind).toBe("kubernetes");
    expect(helm.matches("chart/sub/values.yaml", CHART)).toBe(false);
  });

  it("never reads the chart's templates/", () => {
    expect(extractorFor("chart/templates/deployment.yaml", CHART)).toBeNull();
    expect(extractorFor("chart/templates/values.yaml", CHART)).toBeNull();
  });
});

/** Read by hand: [line of the digest key (else the tag key), image, tag characters, skip]. */
const expected: Record<string, [number, string, string | null, string | null][]> = {
  // registry/repository/tag/digest: "" three times; `cloneStaticSiteFromGit.repository: ""` has no tag.
  "bitnami-nginx.values.yaml": [
    [90, "docker.io/bitnami/nginx:1.29.1-debian-12-r0", "1.29.1-debian-12-r0", null],
    [520, "docker.io/bitnami/git:2.51.0-debian-12-r0", "2.51.0-debian-12-r0", null],
    [993, "docker.io/bitnami/nginx-exporter:1.4.2-debian-12-r9", "1.4.2-debian-12-r9", null],
  ],
  // `tag: ""`: the templates use the chart's appVersion, which values do not say.
  "hello-world.values.yaml": [[11, "nginx", null, "not-literal"]],
  "online-boutique.values.yaml": [
    [22, "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo", null, "not-literal"],
  ],
};

describe("helm: real-world values files", () => {
  it("every fixture has its source and an expectation", () => {
    expectSourcesFor(here);
    expect(Object.keys(expected).sort()).toEqual([...fixtures(here).keys()].sort());
  });

  it.each([...fixtures(here)])("%s: exactly the images read by hand", (name, text) => {
    const found = seen(helm, "chart/values.yaml", text);
    expect(found.map((r) => [r.line, r.image, r.tag, r.skip])).toEqual(expected[name]);
  });

  it("pins bitnami's nginx into its empty digest and moves its tag, nothing else", () => {
    const text = fixtures(here).get("bitnami-nginx.values.yaml")!;
    const path = "chart/values.yaml";
    const answers = {
      tags: { "docker.io/bitnami/nginx:1.29.2-debian-12-r0": digest("b") },
      tagLists: { "docker.io/bitnami/nginx": ["1.29.1-debian-12-r0", "1.29.2-debian-12-r0"] },
    };
    const result = plan([CHART_FILE, { path, content: text }], answers, { pin: true, updateTags: "patch" });
    const expectedText = text
      .replace("tag: 1.29.1-debian-12-r0", "tag: 1.29.2-debian-12-r0")
      .replace('repository: bitnami/nginx\n  tag: 1.29.2-debian-12-r0\n  digest: ""', (block) =>
        block.replace('digest: ""', `digest: "${digest("b")}"`),
      );
    expect(after(result, path, text)).toBe(expectedText);
    expect(result.updates.find((u) => u.line === 90)).toMatchObject({ kind: "helm", action: "bump" });
  });
});

describe("helm: hostile values", () => {
  it("a tag that is not a string is skipped with a reason: `tag: 7.2` reads as the number 7.2", () => {
    const text = "redis:\n  repository: redis\n  tag: 7.2\ncache:\n  repository: redis\n  tag: '7.2'\n";
    const found = helm.extract("chart/values.yaml", text).references;
    expect(found.map((r) => [r.line, r.skip?.reason ?? null, r.ref?.tag ?? null])).toEqual([
      [3, "not-a-string", null],
      [6, null, "7.2"],
    ]);
    expect(found[0]!.skip!.detail).toBe("tag is 7.2 (a number), not a string: quote it");
  });

  it("under updateTags, a plain tag whose new text would not read as a string is quoted; a quoted one keeps its quotes", () => {
    // 3.20rc1 → 3.20: a pre-release moving on to its release, which YAML reads as the float 3.2.
    const text = [
      "app:\n  repository: app\n  tag: 3.20rc1\n",
      "web:\n  repository: web\n  tag: '3.20rc1' # ours\n",
      "db:\n  repository: db\n  tag: 3.20rc1-alpine\n",
      "api:\n  repository: api\n  tag: 2.0.0rc1\n",
    ].join("");
    const answers = {
      tags: {
        "app:3.20": digest("a"),
        "web:3.20": digest("w"),
        "db:3.20-alpine": digest("d"),
        "api:2.0.0": digest("p"),
      },
      tagLists: {
        app: ["3.20rc1", "3.20"],
        web: ["3.20rc1", "3.20"],
        db: ["3.20rc1-alpine", "3.20-alpine"],
        api: ["2.0.0rc1", "2.0.0"],
      },
    };
    const path = "chart/values.yaml";
    const result = plan([CHART_FILE, { path, content: text }], answers, { updateTags: "patch" });
    expect(after(result, path, text)).toBe(
      text
        .replace("tag: 3.20rc1\n", 'tag: "3.20"\n')
        .replace("tag: '3.20rc1'", "tag: '3.20'")
        .replace("tag: 3.20rc1-alpine", "tag: 3.20-alpine")
        .replace("tag: 2.0.0rc1", "tag: 2.0.0"),
    );
    // The file still reads as the same four images, the first at its new tag, a string.
    const again = helm.extract(path, after(result, path, text)).references;
    expect(again.map((r) => [r.skip, r.ref?.tag])).toEqual([
      [null, "3.20"],
      [null, "3.20"],
      [null, "3.20-alpine"],
      [null, "2.0.0"],
    ]);
  });

  it("a template in a value is a not-literal skip", () => {
    const text = 'image:\n  repository: app\n  tag: "{{ .Chart.AppVersion }}"\n';
    expect(seen(helm, "chart/values.yaml", text).map((r) => r.skip)).toEqual(["not-literal"]);
  });

  it("fills an empty quoted digest under pin, in CRLF and BOM files, quotes kept", () => {
    const text = `\uFEFFimage:\r\n  repository: app # ours\r\n  tag: "1.0"\r\n  digest: ''\r\n`;
    const path = "chart/values.yaml";
    const result = plan([CHART_FILE, { path, content: text }], { tags: { "app:1.0": digest("d") } }, { pin: true });
    expect(after(result, path, text)).toBe(text.replace("digest: ''", `digest: '${digest("d")}'`));
    expect(result.updates[0]).toMatchObject({ line: 4, action: "pin", newDigest: digest("d") });
  });

  it("a digest key that holds one is bumped; a null digest cannot be pinned", () => {
    const text = `a:\n  repository: app\n  tag: "1.0"\n  digest: ${digest("a")}\nb:\n  repository: app\n  tag: "2.0"\n  digest:\n`;
    const path = "chart/values.yaml";
    const answers = { tags: { "app:1.0": digest("b"), "app:2.0": digest("c") }, known: [digest("a")] };
    const result = plan([CHART_FILE, { path, content: text }], answers, { pin: true });
    expect(after(result, path, text)).toBe(text.replace(digest("a"), digest("b")));
    expect(result.updates.map((u) => [u.line, u.action, u.reason?.code ?? null])).toEqual([
      [4, "bump", null],
      [8, "skip", "pin-not-extendable"],
    ]);
  });

  it("an image defined once is found once; a merge that sets its own tag is an image of its own", () => {
    const text = [
      "base: &base",
      "  repository: app",
      '  tag: "1.0"',
      `  digest: ${digest("a")}`,
      "copy: *base",
      "derived:",
      "  <<: *base",
      '  tag: "2.0"',
      "",
    ].join("\n");
    const found = seen(helm, "chart/values.yaml", text);
    expect(found.map((r) => [r.line, r.image])).toEqual([
      [4, `app:1.0@${digest("a")}`],
      [4, `app:2.0@${digest("a")}`],
    ]);
    // Both share the anchor's digest: rewritten only if both want the same text.
    const path = "chart/values.yaml";
    const answers = { tags: { "app:1.0": digest("b"), "app:2.0": digest("c") }, known: [digest("a")] };
    const result = plan([CHART_FILE, { path, content: text }], answers);
    expect(result.changes).toEqual([]);
    expect(result.updates.map((u) => u.reason?.code)).toEqual(["shares-text", "shares-text"]);
  });

  it("a YAML file that names no repository and tag costs no parse", () => {
    expect(helm.extract("chart/values.yaml", "replicas: [1, {\n")).toEqual({ references: [], error: null });
  });
});
