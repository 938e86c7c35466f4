/**
 * Lookup joins the pure core to the registry: which files are read (paths, size cap), the plan's
 * options from a repository's config, and `lookUp`, which asks the registry what the plan needs
 * (each question once, a bounded pool in flight). The CLI and the App both run it.
 */
export { lookUp, type LookUpHooks } from "./resolve.js";
export { createPathFilter, MAX_FILE_BYTES } from "./paths.js";
export type { PathRules } from "./paths.js";
export { planOptionsFrom } from "./options.js";
export { mapLimit } from "./pool.js";
