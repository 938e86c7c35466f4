import { z } from "zod";
import { RepinConfigSchema } from "./schema.js";

/**
 * The JSON Schema editors use to check `.github/repin.yml`, generated from the
 * zod schema (the input side: every key optional). Draft-07, which the YAML
 * language server and most editors read. schema/repin.schema.json is this,
 * written by scripts/write-config-schema.ts; a test catches drift.
 */
export function configJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(RepinConfigSchema, { io: "input", target: "draft-7" });
  return { ...generated, title: "repin configuration" };
}

/** The file's exact text: two-space JSON and a final newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
