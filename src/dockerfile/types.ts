import type { ImageReference } from "../reference/types.js";

/** Half-open range of UTF-16 offsets into a file's content. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Why a reference found in a file cannot be followed; a fixed union, like Renovate's skip reasons.
 * `variable-not-expanded`: a variable in COPY --from or RUN --mount from=, which BuildKit never expands.
 * `expansion-limit`: ARG expansion went past a bound (EXPANSION_LIMITS in expand.ts).
 * The next three come from the other file kinds (src/extractors/):
 * `not-literal`: the value is a template or variable (`{{ }}`, `${VAR}`, `$(VAR)`, `${{ expr }}`), not an image.
 * `not-a-string`: the value is a number, mapping or list where an image or tag string belongs.
 * `limit-exceeded`: the file is past a parsing bound (nesting, size, node count); a file-level reason.
 */
export type SkipReason =
  | "unresolved-variable"
  | "not-literal"
  | "not-a-string"
  | "limit-exceeded"
  | "variable-not-expanded"
  | "expansion-limit"
  | "invalid-reference"
  | "digest-without-tag"
  | "unsupported-digest"
  | "parse-error";

export type InstructionKind = "FROM" | "COPY --from" | "RUN --mount";

/** A tag written as literal text in the instruction around one run of an ARG default. */
export interface TagTemplate {
  /** Where the ARG default's characters live in the file. */
  readonly range: TextRange;
  readonly before: string;
  readonly after: string;
}

export interface FoundReference {
  /** 1-based line where the reference text starts in the instruction. */
  readonly line: number;
  /** The Dockerfile instruction that names the image; null in the other file kinds. */
  readonly instruction: InstructionKind | null;
  /** The reference text after ARG expansion, digest included. */
  readonly expanded: string;
  /** The parsed reference, or null when it could not be parsed (then skip is set). */
  readonly ref: ImageReference | null;
  /** A fixed `--platform=` value (e.g. "linux/arm64"), null when absent or variable. */
  readonly platform: string | null;
  /** Where the "sha256:<hex>" characters live (maybe inside an ARG default); null when unpinned. */
  readonly digestRange: TextRange | null;
  /** Where the tag characters live (maybe inside an ARG default); null when there is no tag. */
  readonly tagRange: TextRange | null;
  /**
   * When the tag is literal text around one ARG default's characters (`python:${V}-slim`): the tag is
   * `before` + the characters at `range` + `after`. Null when tagRange is set or the tag has another shape.
   */
  readonly tagTemplate: TagTemplate | null;
  /** Offset at which "@sha256:<hex>" is inserted to pin; null when it cannot be pinned safely. */
  readonly pinInsertAt: number | null;
  /**
   * What is written before the digest at pinInsertAt: "@" after a tag (also when absent), "" into an
   * empty digest field of its own (Helm values' `digest: ""`, a Kustomize image's `digest: ""`).
   */
  readonly pinPrefix?: "@" | "";
  /**
   * The tag characters are a whole plain YAML scalar (a Helm `tag:`, a Kustomize `newTag:`): a new tag
   * that would not read as a string there (`3.20`, a float) is written in double quotes.
   */
  readonly tagIsPlainYaml?: boolean;
  readonly skip: { readonly reason: SkipReason; readonly detail: string } | null;
}

export interface ExtractionResult {
  readonly references: FoundReference[];
  /** Set when the file as a whole could not be read (binary, unparsable, past a bound): the sentence. */
  readonly error: string | null;
  /** The code for `error` when it is more than "not read": invalid syntax, or a bound. */
  readonly errorReason?: "parse-error" | "limit-exceeded";
}

/** One replacement of characters in a file's content. */
export interface TextEdit {
  readonly range: TextRange;
  readonly text: string;
}
