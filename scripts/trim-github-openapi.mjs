#!/usr/bin/env node
// Trims GitHub's OpenAPI description (@octokit/openapi, 13 MB) to the response
// schemas of the operations the GitHub simulator serves, so tests can validate
// the simulator's bodies without installing the 385 MB package.
//
// Usage: node scripts/trim-github-openapi.mjs [path/to/api.github.com.json]
//   or   OPENAPI_JSON=path node scripts/trim-github-openapi.mjs
// Without a path it looks for @octokit/openapi in node_modules (install it
// temporarily: `npm install --no-save @octokit/openapi@23` in a throwaway copy).
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = new URL("../", import.meta.url);
const operationsFile = new URL("test/support/github/openapi/operations.json", root);
const outFile = new URL("test/support/github/openapi/trimmed.json", root);
const KEPT_STATUSES = ["200", "201", "204"];
// Keywords that only document; dropping them keeps the file small.
const DOC_KEYWORDS = new Set(["description", "example", "examples", "summary", "externalDocs"]);
const SCHEMA_MAPS = ["properties", "patternProperties", "definitions", "$defs"];
const SCHEMA_LISTS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SCHEMA_SINGLES = ["items", "additionalProperties", "not", "if", "then", "else", "contains"];

function inputPath() {
  const given = process.argv[2] ?? process.env.OPENAPI_JSON;
  if (given) return given;
  const require = createRequire(import.meta.url);
  return require.resolve("@octokit/openapi/generated/api.github.com.json");
}

// Copies a schema without documentation keywords, calling onRef for each $ref.
function stripSchema(schema, onRef) {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DOC_KEYWORDS.has(key)) continue;
    if (key === "$ref") {
      onRef(value);
      out[key] = value;
    } else if (SCHEMA_MAPS.includes(key) && value && typeof value === "object") {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripSchema(v, onRef)]));
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map((v) => stripSchema(v, onRef));
    } else if (SCHEMA_SINGLES.includes(key)) {
      out[key] = stripSchema(value, onRef);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function resolveResponse(doc, response) {
  if (!response?.$ref) return response;
  const name = response.$ref.replace("#/components/responses/", "");
  return doc.components.responses[name];
}

export function trim(doc, operationIds) {
  const wanted = new Set(operationIds);
  const operations = {};
  const pending = [];
  const onRef = (ref) => {
    const prefix = "#/components/schemas/";
    if (!ref.startsWith(prefix)) throw new Error(`unsupported $ref ${ref}`);
    pending.push(ref.slice(prefix.length));
  };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op?.operationId || !wanted.has(op.operationId)) continue;
      const responses = {};
      for (const status of KEPT_STATUSES) {
        const response = resolveResponse(doc, op.responses?.[status]);
        if (!response) continue;
        const schema = response.content?.["application/json"]?.schema;
        responses[status] = schema ? stripSchema(schema, onRef) : null;
      }
      operations[op.operationId] = { method, path, responses };
      wanted.delete(op.operationId);
    }
  }
  if (wanted.size > 0) throw new Error(`operations not found: ${[...wanted].join(", ")}`);
  const schemas = {};
  while (pending.length > 0) {
    const name = pending.pop();
    if (name in schemas) continue;
    const schema = doc.components.schemas[name];
    if (!schema) throw new Error(`missing component ${name}`);
    schemas[name] = null; // reserve before walking, so cycles terminate
    schemas[name] = stripSchema(schema, onRef);
  }
  const sortedSchemas = Object.fromEntries(
    Object.keys(schemas)
      .sort()
      .map((k) => [k, schemas[k]]),
  );
  return {
    openapi: doc.openapi,
    info: { version: doc.info?.version },
    operations,
    components: { schemas: sortedSchemas },
  };
}

function main() {
  const source = inputPath();
  const doc = JSON.parse(readFileSync(source, "utf8"));
  const operationIds = JSON.parse(readFileSync(operationsFile, "utf8"));
  const trimmed = trim(doc, operationIds);
  const text = JSON.stringify(trimmed, null, 1) + "\n";
  writeFileSync(outFile, text);
  const count = Object.keys(trimmed.components.schemas).length;
  console.log(
    `wrote ${fileURLToPath(outFile)}: ${Object.keys(trimmed.operations).length} operations, ${count} schemas, ${text.length} bytes`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
