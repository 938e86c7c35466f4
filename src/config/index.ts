/**
 * The repository config `.github/repin.yml` (SPEC 7): one zod schema with the
 * inferred type and defaults, parsing that reports file and line and never
 * throws, the generated JSON Schema, and the pure helpers the keys need
 * (schedule windows, durations, registry mirrors, ignore patterns).
 */
export { RepinConfigSchema } from "./schema.js";
export type { RepinConfig, RepinConfigInput } from "./schema.js";
export { DEFAULT_CONFIG_FILE, MAX_CONFIG_BYTES, parseRepinConfig } from "./parse.js";
export type { ConfigError, ConfigParseResult } from "./parse.js";
export { configJsonSchema, configJsonSchemaText } from "./json-schema.js";
export { isValidCron, isValidTimeZone, isWithinSchedule } from "./schedule.js";
export { DURATION_PATTERN, parseDuration } from "./duration.js";
export { applyRegistryMap } from "./registry-map.js";
export { matchesImagePattern } from "./image-pattern.js";
