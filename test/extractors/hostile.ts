/**
 * Hand-made files that stress the lossless layer: anchors and merge keys, every quoting style,
 * flow style, block scalars, CRLF, a BOM, trailing spaces, variables, many documents.
 */
const digest = (c: string) => `sha256:${c.repeat(64)}`;
export const OLD = digest("a");
export const OTHER = digest("c");

export interface Fixture {
  readonly path: string;
  readonly text: string;
}

export const HOSTILE: readonly Fixture[] = [
  {
    path: "compose.yaml",
    text: [
      "x-img: &img r.io/base:1.0@" + OLD + "  ",
      "x-svc: &svc",
      "  image: *img",
      "services:",
      "  a:",
      "    <<: *svc",
      "  b: {image: *img, platform: linux/arm64}",
      `  c: {image: "r.io/base:1.0@${OLD}"}`,
      `  d: {image: 'r.io/other:2.1.3@${OTHER}'}`,
      "  e:",
      "    image: |-",
      "      r.io/base:1.0",
      "  f:",
      "    image: >-",
      "      r.io/folded:1.0",
      "      @" + OLD,
      "  g:",
      "    image: ${REGISTRY}/app:${TAG}",
      "  h:",
      "    image: r.io/base:1.0 # trailing comment",
      "",
    ].join("\n"),
  },
  {
    path: "docker-compose.override.yml",
    text: `\uFEFFservices:\r\n  web:\r\n    image: "r.io/web:3.2"  \r\n  db:\r\n    image: r.io/db:16@${OTHER}\r\n`,
  },
  {
    path: "k8s/many.yaml",
    text: [
      "# leading comment",
      "apiVersion: batch/v1",
      "kind: CronJob",
      "spec:",
      "  jobTemplate:",
      "    spec:",
      "      template:",
      "        spec:",
      "          initContainers: [{name: i, image: 'r.io/init:0.9'}]",
      "          containers:",
      `            - {name: c, image: "r.io/base:1.0@${OLD}"}`,
      "---",
      "apiVersion: v1",
      "kind: Pod",
      "spec:",
      "  ephemeralContainers:",
      `    - image: r.io/other:2.1.3@${OTHER}`,
      "  containers:",
      "    - image: $(IMAGE)",
      "...",
      "",
    ].join("\r\n"),
  },
];

/** A manifest of `count` Pod documents, each pinning r.io/app<n % 7>:1.<n % 3>. */
export function manyDocuments(count: number): string {
  const docs: string[] = [];
  for (let n = 0; n < count; n++) {
    docs.push(
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${n}\nspec:\n  containers:\n    - name: c\n      image: r.io/app${n % 7}:1.${n % 3}@${OLD}\n`,
    );
  }
  return docs.join("---\n");
}
