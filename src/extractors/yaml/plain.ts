/**
 * What a plain YAML scalar reads as. `resolvePlain` is the `yaml` package's core schema (YAML 1.2,
 * what repin reads); `readsAsString` also asks YAML 1.1, which Helm's and Kustomize's Go parsers
 * still follow (`yes`, `1_000`, `2024-01-15` are not strings there).
 */

/** The core schema's plain scalars that are not strings (`yaml`'s schema/core, in its order). */
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
/** A plain scalar that starts with none of these is a string. */
const MAYBE_NOT_STRING = /^[-+.~0-9nNtTfF]/;

export function resolvePlain(source: string): string | number | boolean | null {
  if (!MAYBE_NOT_STRING.test(source)) return source;
  if (NULL.test(source)) return null;
  if (BOOL.test(source)) return source[0] === "t" || source[0] === "T";
  if (INT_OCT.test(source)) return parseInt(source.substring(2), 8);
  if (INT.test(source)) return parseInt(source, 10);
  if (INT_HEX.test(source)) return parseInt(source.substring(2), 16);
  if (FLOAT_NAN.test(source))
    return source.slice(-3).toLowerCase() === "nan"
      ? NaN
      : source[0] === "-"
        ? Number.NEGATIVE_INFINITY
        : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(source) || FLOAT.test(source)) return parseFloat(source);
  return source;
}

/** YAML 1.1's plain scalars that are not strings (`yaml`'s schema/yaml-1.1): booleans, numbers, timestamps. */
const YAML_1_1_NOT_STRING = [
  /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON|N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
];

/** Whether `text`, written as a plain scalar, reads as that string in YAML 1.2 and in YAML 1.1. */
export function readsAsString(text: string): boolean {
  return typeof resolvePlain(text) === "string" && !YAML_1_1_NOT_STRING.some((pattern) => pattern.test(text));
}
