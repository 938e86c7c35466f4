/** Writes schema/repin.schema.json from the zod config schema: `npx tsx scripts/write-config-schema.ts`. */
import { writeFileSync } from "node:fs";
import { configJsonSchemaText } from "../src/config/json-schema.js";

const target = new URL("../schema/repin.schema.json", import.meta.url);
writeFileSync(target, configJsonSchemaText());
console.log(`wrote ${target.pathname}`);
