import { performance } from "node:perf_hooks";
import {
  manifestKey,
  planUpdates,
  scanFiles,
  tagKey,
  type Lookup,
  type Lookups,
  type PlanOptions,
  type SourceFile,
} from "../src/plan/index.js";
import { splitDockerName } from "../src/reference/index.js";
import type { Manifest, TagDigest } from "../src/registry/types.js";
import { atMost, type Figures } from "./budget.js";

/** SPEC 9: parsing and planning 10,000 Dockerfiles in under 2 s. Pure work only: lookups are prepared. */

export const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;
export const IMAGES = [
  "python:3.12-slim",
  "node:22-bookworm",
  "cgr.dev/chainguard/go:latest-dev",
  "ghcr.io/acme/base:1.4.2",
  "golang:1.23-alpine",
  "nginx:1.27",
  "debian:bookworm-slim",
  "alpine:3.20",
];

/** Shapes seen in real repositories: multi-stage builds, ARG-held references, platform pins, heredocs, CRLF. */
export function generateDockerfile(i: number): string {
  const a = IMAGES[i % IMAGES.length]!;
  const b = IMAGES[(i * 7 + 3) % IMAGES.length]!;
  const eol = i % 5 === 0 ? "\r\n" : "\n";
  const lines = [
    "# syntax=docker/dockerfile:1.7",
    `ARG BASE=${b}@${digest(i % 50)}`,
    `ARG BUILDER_VERSION=1.23`,
    `FROM --platform=$BUILDPLATFORM ${a}@${digest((i + 1) % 50)} AS build`,
    "WORKDIR /src",
    "COPY go.mod go.sum ./",
    "RUN --mount=type=cache,target=/root/.cache \\",
    "    go mod download && \\",
    "    echo done",
    "RUN <<EOF",
    "FROM this-is-not-an-image:1",
    "echo heredoc",
    "EOF",
    `COPY --from=${a} /etc/ssl/certs /etc/ssl/certs`,
    "FROM ${BASE} AS runtime",
    "COPY --from=build /out /app",
    "USER 65532:65532",
    'ENTRYPOINT ["/app"]',
  ];
  return lines.join(eol) + eol;
}

/** The registry's answers for IMAGES and the `# syntax=` frontend: each tag moved; every digest readable. */
export function lookupsFor(): Lookups {
  const ok = <T>(value: T): Lookup<T> => ({ ok: true, value });
  const tags = new Map<string, Lookup<TagDigest>>();
  const manifests = new Map<string, Lookup<Manifest>>();
  const image = (d: string): Manifest => ({
    kind: "image",
    digest: d,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    configDigest: digest(999),
    layers: [],
    platform: { os: "linux", architecture: "amd64" },
    created: null,
  });
  [...IMAGES, "docker/dockerfile:1.7"].forEach((text, n) => {
    const [name, tag] = text.split(/:(?=[^:/]+$)/) as [string, string];
    const { registry, repository } = splitDockerName(name);
    tags.set(
      tagKey({ registry, repository }, tag),
      ok({ digest: digest(1000 + n), mediaType: "application/vnd.oci.image.manifest.v1+json" }),
    );
    // Every image's new digest and the 50 pinned ones, readable in every repository.
    for (const d of [digest(1000 + n), ...Array.from({ length: 50 }, (_, k) => digest(k))])
      manifests.set(manifestKey({ registry, repository }, d), ok(image(d)));
  });
  return { tags, manifests, tagLists: new Map() };
}

export const PLAN_OPTIONS: PlanOptions = {
  pin: false,
  platforms: [],
  updateTags: "none",
  resolutionName: (ref) => ({ registry: ref.registry, repository: ref.repository }),
  isIgnored: () => false,
};

export function benchParseAndPlan(count = 10_000): Figures {
  const files: SourceFile[] = Array.from({ length: count }, (_, i) => ({
    path: `svc${i}/Dockerfile`,
    content: generateDockerfile(i),
  }));
  const lookups = lookupsFor();
  const options = PLAN_OPTIONS;
  planUpdates(scanFiles(files.slice(0, 200)), lookups, options); // warm up the JIT
  const start = performance.now();
  const scanned = scanFiles(files);
  const parsed = performance.now();
  const plan = planUpdates(scanned, lookups, options);
  const end = performance.now();
  const bumps = plan.updates.filter((update) => update.action === "bump").length;
  if (bumps === 0) throw new Error("benchmark plan proposed no bumps: the generated lookups are wrong");
  return {
    dockerfiles: count,
    "references found": plan.updates.length,
    "bumps planned": bumps,
    "parse ms": Math.round(parsed - start),
    "plan ms": Math.round(end - parsed),
    "parse + plan ms": atMost(Math.round(end - start), 2000),
  };
}
