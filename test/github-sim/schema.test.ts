import { readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { trim } from "../../scripts/trim-github-openapi.mjs";
import type { Shell } from "../support/github/http.js";
import { convertNullable, loadResponseValidator } from "../support/github/schema.js";
import { allRoutes } from "../support/github/simulator.js";
import { createState } from "../support/github/state.js";

const trimmedUrl = new URL("../support/github/openapi/trimmed.json", import.meta.url);
const operationsUrl = new URL("../support/github/openapi/operations.json", import.meta.url);

describe("OpenAPI schema checking", () => {
  it("has a trimmed schema for every operation the simulator serves, and no other", () => {
    const shell = { state: createState() } as unknown as Shell;
    const served = new Set(allRoutes(shell, 10).map((r) => r.operationId));
    const listed = new Set(JSON.parse(readFileSync(operationsUrl, "utf8")) as string[]);
    expect([...served].sort()).toEqual([...listed].sort());
    const trimmed = JSON.parse(readFileSync(trimmedUrl, "utf8")) as {
      operations: Record<string, { responses: Record<string, unknown> }>;
    };
    for (const id of served) expect(Object.keys(trimmed.operations[id]?.responses ?? {}), id).not.toEqual([]);
    expect(statSync(trimmedUrl).size).toBeLessThan(2 * 1024 * 1024);
  });

  it("turns OpenAPI nullable into JSON Schema types and anyOf", () => {
    expect(convertNullable({ type: "string", nullable: true })).toEqual({ type: ["string", "null"] });
    expect(convertNullable({ nullable: true, allOf: [{ $ref: "#/x" }] })).toEqual({
      anyOf: [{ allOf: [{ $ref: "#/x" }] }, { type: "null" }],
    });
    expect(convertNullable({ type: "string", enum: ["a"], nullable: true })).toEqual({
      type: ["string", "null"],
      enum: ["a", null],
    });
    expect(convertNullable({ properties: { nullable: { type: "boolean" } } })).toEqual({
      properties: { nullable: { type: "boolean" } },
    });
  });

  it("rejects bodies that do not fit GitHub's schema and accepts ones that do", () => {
    const validator = loadResponseValidator();
    const ref = {
      ref: "refs/heads/main",
      node_id: "REF_1",
      url: "http://127.0.0.1/api/v3/repos/a/b/git/refs/heads/main",
      object: { type: "commit", sha: "a".repeat(40), url: "http://127.0.0.1/x" },
    };
    expect(validator.validate("git/get-ref", 200, ref)).toEqual([]);
    const errors = validator.validate("git/get-ref", 200, { ...ref, object: { type: "commit" } }) ?? [];
    expect(errors.join("\n")).toContain("sha");
    expect(validator.validate("pulls/get", 200, { number: 1 })?.length).toBeGreaterThan(10);
    expect(validator.validate("git/get-ref", 418, ref)).toBeNull();
  });

  it("trims a description to the kept operations' responses and the components they reach", () => {
    const doc = {
      openapi: "3.0.3",
      info: { version: "1" },
      paths: {
        "/a": {
          get: {
            operationId: "x/a",
            responses: {
              "200": {
                description: "ok",
                content: { "application/json": { schema: { $ref: "#/components/schemas/A" } } },
              },
              "404": { $ref: "#/components/responses/nf" },
            },
          },
        },
        "/b": {
          get: {
            operationId: "x/b",
            responses: {
              "200": { content: { "application/json": { schema: { $ref: "#/components/schemas/Unused" } } } },
            },
          },
        },
      },
      components: {
        schemas: {
          A: {
            type: "object",
            description: "drop me",
            example: { a: 1 },
            properties: {
              description: { type: "string", description: "a property named description stays" },
              b: { $ref: "#/components/schemas/B" },
            },
          },
          B: { type: "array", items: { $ref: "#/components/schemas/A" } },
          Unused: { type: "string" },
        },
        responses: { nf: { description: "nf" } },
      },
    };
    const out = trim(doc, ["x/a"]);
    expect(Object.keys(out.operations)).toEqual(["x/a"]);
    expect(Object.keys(out.operations["x/a"]?.responses ?? {})).toEqual(["200"]);
    expect(Object.keys(out.components.schemas)).toEqual(["A", "B"]);
    expect(out.components.schemas.A).toEqual({
      type: "object",
      properties: { description: { type: "string" }, b: { $ref: "#/components/schemas/B" } },
    });
    expect(() => trim(doc, ["x/missing"])).toThrow(/x\/missing/);
  });
});
