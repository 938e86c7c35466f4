/**
 * The engine joins the pure core to the registry: scan files, ask the registry what the plan
 * needs (each question once), and plan. The CLI and the App both run it.
 */
export { lookUp } from "./resolve.js";
export { createPathFilter, MAX_FILE_BYTES } from "./paths.js";
export type { PathRules } from "./paths.js";
export { planOptionsFrom } from "./options.js";
export { mapLimit } from "./pool.js";
