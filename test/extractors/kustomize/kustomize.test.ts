import { describe, expect, it } from "vitest";
import { extractorFor } from "../../../src/extractors/index.js";
import { kustomize } from "../../../src/extractors/kustomize/index.js";
import { after, digest, expectSourcesFor, fixtures, plan } from "../kinds-support.js";
import { seen } from "../support.js";

const here = new URL("./", import.meta.url);
const NO_TREE = { has: () => false };

describe("kustomize: which files", () => {
  it.each(["kustomization.yaml", "overlays/prod/kustomization.yml", "base/Kustomization"])("reads %s", (path) => {
    expect(extractorFor(path, NO_TREE)?.kind).toBe("kustomize");
  });

  it.each(["kustomization.json", "my-kustomization.yaml", "Kustomization.yaml"])("leaves %s alone", (path) => {
    expect(kustomize.matches(path, NO_TREE)).toBe(false);
  });
});

const boutique = "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo";
const services = [
  "adservice",
  "cartservice",
  "checkoutservice",
  "currencyservice",
  "emailservice",
  "frontend",
  "loadgenerator",
  "paymentservice",
  "productcatalogservice",
  "recommendationservice",
  "shippingservice",
];

/** Read by hand: [line of the digest key, else newTag, else newName, else name; image; skip]. */
const expected: Record<string, [number, string, string | null][]> = {
  // Each `name` at the placeholder tag `CONTAINER_IMAGES_TAG` (a valid tag), on the newTag lines.
  "container-images-tag.kustomization.yaml": services.map((s, i) => [
    19 + 2 * i,
    `${boutique}/${s}:CONTAINER_IMAGES_TAG`,
    null,
  ]),
  // `newName: CONTAINER_IMAGES_REGISTRY/…` is a placeholder with capitals: not a reference.
  "container-images-registry.kustomization.yaml": [...services, "redis"].map((s, i) => [
    19 + 2 * i,
    `CONTAINER_IMAGES_REGISTRY/${s}`,
    "invalid-reference",
  ]),
  // Patches only: the Deployment inside a block scalar is text, not an image.
  "memorystore.kustomization.yaml": [],
};

describe("kustomize: real-world files", () => {
  it("every fixture has its source and an expectation", () => {
    expectSourcesFor(here);
    expect(Object.keys(expected).sort()).toEqual([...fixtures(here).keys()].sort());
  });

  it.each([...fixtures(here)])("%s: exactly the images read by hand", (name, text) => {
    expect(seen(kustomize, "kustomization.yaml", text).map((r) => [r.line, r.image, r.skip])).toEqual(expected[name]);
  });
});

describe("kustomize: hostile files", () => {
  it("newName else name at newTag; the digest bumped where present, an empty one filled under pin", () => {
    const text = [
      "images:",
      "- name: nginx # upstream",
      '  newTag: "1.25"',
      "- name: app",
      "  newName: ghcr.io/acme/app",
      "  newTag: v2",
      `  digest: ${digest("a")}`,
      "- digest: ''",
      "  name: redis",
      "  newTag: '7.2'",
      "",
    ].join("\r\n");
    const answers = {
      tags: { "nginx:1.25": digest("n"), "ghcr.io/acme/app:v2": digest("b"), "redis:7.2": digest("r") },
      known: [digest("a")],
    };
    const result = plan([{ path: "kustomization.yaml", content: text }], answers, { pin: true });
    expect(result.updates.map((u) => [u.line, u.image, u.action])).toEqual([
      [3, "nginx:1.25", "skip"],
      [7, "ghcr.io/acme/app:v2", "bump"],
      [8, "redis:7.2", "pin"],
    ]);
    expect(result.updates[0]!.reason?.code).toBe("pin-not-extendable");
    expect(after(result, "kustomization.yaml", text)).toBe(
      text.replace(digest("a"), digest("b")).replace("- digest: ''", `- digest: '${digest("r")}'`),
    );
  });

  it("moves newTag under updateTags", () => {
    const text = "images:\n  - name: nginx\n    newTag: 1.25.3\n";
    const answers = { tags: { "nginx:1.25.4": digest("n") }, tagLists: { nginx: ["1.25.3", "1.25.4"] } };
    const result = plan([{ path: "kustomization.yaml", content: text }], answers, { updateTags: "patch" });
    expect(after(result, "kustomization.yaml", text)).toBe(text.replace("1.25.3", "1.25.4"));
  });

  it("quotes a plain newTag whose new text would not read as a string", () => {
    const text = "images:\n  - name: nginx\n    newTag: 1.27rc1 # next\n";
    const answers = { tags: { "nginx:1.27": digest("n") }, tagLists: { nginx: ["1.27rc1", "1.27"] } };
    const result = plan([{ path: "kustomization.yaml", content: text }], answers, { updateTags: "patch" });
    expect(after(result, "kustomization.yaml", text)).toBe(text.replace("1.27rc1", '"1.27"'));
  });

  it("a newTag that is a number is skipped with a reason; a template is not-literal", () => {
    const text = "images:\n- name: a\n  newTag: 1.0\n- name: b\n  newTag: ${TAG}\n";
    expect(seen(kustomize, "kustomization.yaml", text).map((r) => [r.line, r.skip])).toEqual([
      [3, "not-a-string"],
      [5, "not-literal"],
    ]);
  });

  it("a digest without newTag cannot be followed", () => {
    const text = `images:\n- name: app\n  digest: ${digest("a")}\n`;
    expect(seen(kustomize, "kustomization.yaml", text).map((r) => r.skip)).toEqual(["digest-without-tag"]);
  });
});
