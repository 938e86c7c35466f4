import { performance } from "node:perf_hooks";
import { planUpdates, scanFiles, type SourceFile } from "../src/plan/index.js";
import { atMost, type Figures } from "./budget.js";
import { digest, generateDockerfile, IMAGES, lookupsFor, PLAN_OPTIONS } from "./core.js";

/**
 * SPEC 9: parsing and planning 10,000 mixed files (Dockerfiles, compose, multi-document manifests,
 * workflows, Helm values beside their Chart.yaml) in under 3 s; and what YAML files that are not
 * manifests cost (a repository may hold thousands). Pure work only: lookups are prepared.
 */

const imageAt = (i: number) => IMAGES[i % IMAGES.length]!;
const pinned = (i: number) => `${imageAt(i)}@${digest(i % 50)}`;
const eolOf = (i: number) => (i % 5 === 0 ? "\r\n" : "\n");

function compose(i: number): string {
  return [
    "# The service and what it needs",
    "services:",
    "  app:",
    `    image: ${pinned(i)}`,
    "    ports: ['8080:8080']",
    "    depends_on: [db]",
    "  db:",
    `    image: "${pinned(i + 1)}"`,
    "    environment:",
    "      POSTGRES_PASSWORD: example",
    "  built:",
    "    build: .",
    "",
  ].join(eolOf(i));
}

function deployment(i: number, k: number): string {
  return [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    `  name: svc${i}-${k}`,
    "  labels: {app: web}",
    "spec:",
    "  replicas: 2",
    "  template:",
    "    spec:",
    "      initContainers:",
    "        - name: migrate",
    `          image: ${pinned(i + k)}`,
    "      containers:",
    "        - name: web # the server",
    `          image: ${pinned(i + k + 1)}`,
    "          resources: {limits: {memory: 256Mi}}",
  ].join("\n");
}

/** A Service, a ConfigMap and two Deployments, as `kubectl` users write them. */
function manifests(i: number): string {
  const service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80";
  const config = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  LOG_LEVEL: info";
  return `${[service, config, deployment(i, 0), deployment(i, 1)].join("\n---\n")}\n`;
}

function workflow(i: number): string {
  return [
    "name: ci",
    "on: [push, pull_request]",
    "jobs:",
    "  test:",
    "    runs-on: ubuntu-latest",
    `    container: ${pinned(i)}`,
    "    services:",
    "      db:",
    `        image: ${pinned(i + 1)}`,
    "    steps:",
    "      - uses: actions/checkout@v4",
    `      - uses: docker://${pinned(i + 2)}`,
    "      - run: make test",
    "",
  ].join(eolOf(i));
}

function helmValues(i: number): string {
  const [name, tag] = imageAt(i).split(/:(?=[^:/]+$)/) as [string, string];
  return [
    "replicaCount: 1",
    "image:",
    `  repository: ${name}`,
    `  tag: "${tag}"`,
    `  digest: "${digest(i % 50)}"`,
    "  pullPolicy: IfNotPresent",
    "service:",
    "  type: ClusterIP",
    "  port: 80",
    "resources: {}",
    "",
  ].join(eolOf(i));
}

/** YAML that names no container: CI settings, docs config, an OpenAPI fragment. */
function notAManifest(i: number): string {
  return [
    "site_name: Docs",
    "nav:",
    "  - Home: index.md",
    `  - Page ${i}: page${i}.md`,
    "theme:",
    "  name: material",
    "paths:",
    "  /pets:",
    "    get:",
    "      responses:",
    "        '200': {description: ok}",
    "",
  ].join("\n");
}

/** 10,000 files: 4,000 Dockerfiles and 1,500 of each YAML kind, plus the charts' 1,500 Chart.yaml files. */
export function mixedFiles(count = 10_000): SourceFile[] {
  const share = Math.floor((count * 3) / 20);
  const files: SourceFile[] = [];
  for (let i = 0; i < count - 4 * share; i++) files.push({ path: `d${i}/Dockerfile`, content: generateDockerfile(i) });
  for (let i = 0; i < share; i++) {
    files.push({ path: `c${i}/compose.yaml`, content: compose(i) });
    files.push({ path: `k${i}/deploy.yaml`, content: manifests(i) });
    files.push({ path: `.github/workflows/ci${i}.yml`, content: workflow(i) });
    files.push({ path: `charts/h${i}/values.yaml`, content: helmValues(i) });
    files.push({ path: `charts/h${i}/Chart.yaml`, content: `apiVersion: v2\nname: h${i}\nversion: 1.0.${i}\n` });
  }
  return files;
}

export function benchMixed(count = 10_000): Figures {
  const files = mixedFiles(count);
  const lookups = lookupsFor();
  // Warm up the JIT on the same mix at a twentieth of the size: every kind, not only Dockerfiles.
  planUpdates(scanFiles(mixedFiles(count / 20)), lookups, PLAN_OPTIONS);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const scanned = scanFiles(files);
  const parsed = performance.now();
  const plan = planUpdates(scanned, lookups, PLAN_OPTIONS);
  const end = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  const bumps = plan.updates.filter((update) => update.action === "bump").length;
  const kinds = new Set(plan.updates.filter((u) => u.action === "bump").map((u) => u.kind));
  if (kinds.size < 5) throw new Error(`benchmark bumped only ${[...kinds].join(", ")}: the generated files are wrong`);

  const others = Array.from({ length: count }, (_, i) => ({ path: `docs/d${i}/mkdocs.yml`, content: notAManifest(i) }));
  const before = performance.now();
  const none = scanFiles(others).reduce((sum, file) => sum + file.references.length, 0);
  const othersMs = performance.now() - before;
  if (none !== 0) throw new Error("a YAML file that is not a manifest was read as one");
  return {
    "files (and Chart.yaml files beside the values)": `${count} (+${files.length - count})`,
    "references found": plan.updates.length,
    "bumps planned": bumps,
    "parse ms": Math.round(parsed - start),
    "plan ms": Math.round(end - parsed),
    "parse + plan ms": atMost(Math.round(end - start), 3000),
    // On a shared machine the wall time above includes waiting for a core; this is the work itself.
    "parse + plan CPU ms (this process, GC threads included)": Math.round((cpu.user + cpu.system) / 1000),
    [`${count} YAML files that are not manifests: scan ms`]: Math.round(othersMs),
  };
}
