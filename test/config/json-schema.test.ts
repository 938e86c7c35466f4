import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { configJsonSchema, configJsonSchemaText, parseRepinConfig } from "../../src/config/index.js";

const committed = readFileSync(new URL("../../schema/repin.schema.json", import.meta.url), "utf8");
const full = readFileSync(new URL("./__fixtures__/full.yml", import.meta.url), "utf8");

describe("schema/repin.schema.json", () => {
  it("is what the zod schema generates (run `npx tsx scripts/write-config-schema.ts` after changing it)", () => {
    expect(committed).toBe(configJsonSchemaText());
  });

  it("lists every key, none required, no others allowed", () => {
    const schema = configJsonSchema() as {
      properties: Record<string, unknown>;
      required?: string[];
      additionalProperties: boolean;
    };
    expect(Object.keys(schema.properties).sort()).toEqual(
      [
        "_extends",
        "assignees",
        "dashboard",
        "group",
        "ignore",
        "labels",
        "minimumAge",
        "paths",
        "pin",
        "platforms",
        "prConcurrentLimit",
        "rebuild",
        "registryMap",
        "reviewers",
        "schedule",
        "teamReviewers",
        "timezone",
        "updateTags",
      ].sort(),
    );
    expect(schema.required ?? []).toEqual([]);
    expect(schema.additionalProperties).toBe(false);
  });

  it("agrees with parseRepinConfig on what editors can check", () => {
    const validate = new Ajv({ strict: false }).compile(JSON.parse(committed) as object);
    const cases = [
      full,
      "",
      "pin: yes\n",
      "bogus: 1\n",
      "updateTags: all\n",
      "minimumAge: 1 day\n",
      "platforms: [amd64]\n",
      "paths:\n  include: x\n",
    ];
    for (const text of cases) {
      expect(validate(parse(text) ?? {}), text).toBe(parseRepinConfig(text).ok);
    }
  });
});
