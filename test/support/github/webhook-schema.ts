// JSON Schemas of GitHub webhook payloads, read from @octokit/openapi-webhooks-types (GitHub's
// webhook OpenAPI description as TypeScript) with the TypeScript checker, so a test can validate a
// payload it built at run time with ajv, as the simulator's responses are validated (schema.ts).
import { createRequire } from "node:module";
import ts from "typescript";
import { Ajv } from "ajv";

type Schema = Record<string, unknown>;

const require = createRequire(import.meta.url);
const TYPES = require.resolve("@octokit/openapi-webhooks-types/types.d.ts");

/** The schemas of `components["schemas"][name]` for each name (e.g. "webhook-registry-package-published"). */
export function webhookSchemas(names: readonly string[]): Map<string, Schema> {
  const file = "/__webhook_schemas__.ts";
  const source = [
    `import type { components } from ${JSON.stringify(TYPES)};`,
    ...names.map((name, i) => `export type T${i} = components["schemas"][${JSON.stringify(name)}];`),
  ].join("\n");
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (path, version, ...rest) =>
    path === file ? ts.createSourceFile(path, source, version) : read(path, version, ...rest);
  host.fileExists = (
    (exists) => (path: string) =>
      path === file || exists(path)
  )(host.fileExists.bind(host));
  const program = ts.createProgram([file], options, host);
  const checker = program.getTypeChecker();
  const aliases = program.getSourceFile(file)!.statements.filter(ts.isTypeAliasDeclaration);
  return new Map(
    names.map((name, i) => {
      const type = checker.getTypeAtLocation(aliases[i]!.name);
      if (type.flags & ts.TypeFlags.Any) throw new Error(`no webhook schema named ${name}`);
      return [name, toSchema(checker, type, 0)];
    }),
  );
}

function toSchema(checker: ts.TypeChecker, type: ts.Type, depth: number): Schema {
  if (depth > 30) return {};
  const f = type.flags;
  if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
  if (f & ts.TypeFlags.Never) return { not: {} };
  if (f & ts.TypeFlags.Null) return { type: "null" };
  if (type.isStringLiteral() || type.isNumberLiteral()) return { const: type.value };
  if (f & ts.TypeFlags.BooleanLiteral) return { const: checker.typeToString(type) === "true" };
  if (f & ts.TypeFlags.String) return { type: "string" };
  if (f & ts.TypeFlags.Number) return { type: "number" };
  if (f & ts.TypeFlags.Boolean) return { type: "boolean" };
  if (type.isUnion()) {
    const members = type.types.filter((member) => !(member.flags & ts.TypeFlags.Undefined));
    return { anyOf: members.map((member) => toSchema(checker, member, depth + 1)) };
  }
  if (type.isIntersection()) return { allOf: type.types.map((member) => toSchema(checker, member, depth + 1)) };
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    const [item] = checker.getTypeArguments(type as ts.TypeReference);
    return { type: "array", items: item ? toSchema(checker, item, depth + 1) : {} };
  }
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const symbol of checker.getPropertiesOfType(type)) {
    const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (!declaration) continue;
    properties[symbol.name] = toSchema(checker, checker.getTypeOfSymbolAtLocation(symbol, declaration), depth + 1);
    if (!(symbol.flags & ts.SymbolFlags.Optional)) required.push(symbol.name);
  }
  const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
  return {
    type: "object",
    properties,
    required,
    additionalProperties: index ? toSchema(checker, index.type, depth + 1) : false,
  };
}

/** Validates payloads against the named webhook schemas: ajv's messages, empty when it fits. */
export function webhookValidator(names: readonly string[]): (name: string, payload: unknown) => string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validators = new Map([...webhookSchemas(names)].map(([name, schema]) => [name, ajv.compile(schema)]));
  return (name, payload) => {
    const validate = validators.get(name);
    if (!validate) throw new Error(`${name} was not loaded`);
    if (validate(payload)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
  };
}
