/**
 * The shared lossless YAML layer: a bounded parse (./limits.ts) into documents whose nodes keep
 * their source ranges, and readers that find where a scalar's characters are in the file. Kinds edit
 * those characters only, so comments, quotes, flow style, key order, anchors, CRLF and a BOM stay.
 */
export { YAML_LIMITS, exceededLimit } from "./limits.js";
export { parseYaml, type YamlDocument, type YamlParse } from "./parse.js";
export {
  asMap,
  asSeq,
  entries,
  get,
  imageAt,
  items,
  newBudget,
  notAString,
  resolve,
  scalarText,
  spend,
  stringAt,
  VisitLimitError,
  type ScalarText,
  type YamlContext,
} from "./nodes.js";
export { extractYaml, type DocumentReader } from "./extract.js";
export { readsAsString } from "./plain.js";
