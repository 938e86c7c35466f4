// Validates the simulator's response bodies against GitHub's OpenAPI response
// schemas (trimmed by scripts/trim-github-openapi.mjs into openapi/trimmed.json).
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export interface SchemaViolation {
  operationId: string;
  status: number;
  method: string;
  path: string;
  errors: string[];
}

export interface ResponseValidator {
  /** Error messages, empty when the body fits; null when the operation has no schema for that status. */
  validate(operationId: string, status: number, body: unknown): string[] | null;
  operationIds(): string[];
}

const TRIMMED = new URL("./openapi/trimmed.json", import.meta.url);

const NAME_MAPS = new Set(["properties", "patternProperties", "definitions", "$defs"]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** OpenAPI 3.0's `nullable` to JSON Schema: type lists, or anyOf [X, null] when there is no type. */
export function convertNullable(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(convertNullable);
  if (schema === null || typeof schema !== "object") return schema;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "nullable") continue;
    // keys of these maps are property names (one may be "nullable"), not keywords
    const isMap = NAME_MAPS.has(key) && value !== null && typeof value === "object" && !Array.isArray(value);
    out[key] = isMap
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertNullable(v)]))
      : convertNullable(value);
  }
  if (schema.nullable !== true) return out;
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === "string") return { ...out, type: [out.type, "null"] };
  if (Array.isArray(out.type)) return out.type.includes("null") ? out : { ...out, type: [...out.type, "null"] };
  return { anyOf: [out, { type: "null" }] };
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`,
  );
}

export function loadResponseValidator(): ResponseValidator {
  const doc = convertNullable(JSON.parse(readFileSync(TRIMMED, "utf8")) as Json) as {
    operations: Record<string, { responses: Record<string, Json> }>;
  };
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  // GitHub's custom formats: "owner/name" and the int64 ids.
  ajv.addFormat("repo.nwo", /^[^/\s]+\/[^/\s]+$/);
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat("ssh-key", true);
  ajv.addFormat("uri-template", true);
  ajv.addSchema(doc as object, "gh");
  const cache = new Map<string, ValidateFunction | null>();
  const compiled = (operationId: string, status: number): ValidateFunction | null => {
    const key = `${operationId} ${status}`;
    if (cache.has(key)) return cache.get(key) ?? null;
    const schema = doc.operations[operationId]?.responses[String(status)];
    const pointer = `gh#/operations/${operationId.replace(/~/g, "~0").replace(/\//g, "~1")}/responses/${status}`;
    const fn = schema ? ajv.compile({ $ref: pointer }) : null;
    cache.set(key, fn);
    return fn;
  };
  return {
    validate(operationId, status, body) {
      const fn = compiled(operationId, status);
      if (!fn) return null;
      return fn(body) ? [] : formatErrors(fn.errors);
    },
    operationIds: () => Object.keys(doc.operations),
  };
}
