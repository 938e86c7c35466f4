/**
 * Finds the image references in a Dockerfile: FROM, COPY --from=<image> and
 * RUN --mount=…,from=<image>. Pure; never throws; linear in the file plus the
 * bounded ARG expansion work (expand.ts).
 *
 * Global ARGs are expanded in FROM only, as BuildKit does: it never expands
 * variables in COPY --from (an error since Dockerfile 1.18) or RUN --mount
 * from= (an error since 1.3), declared in the stage or not, so such a value is a
 * skip with reason `variable-not-expanded`.
 *
 * Ranges: `digestRange` and `tagRange` are set only when those characters are
 * one contiguous run of real text in the file (in the instruction or inside a
 * single ARG default). A tag built from pieces, like `${VERSION}-slim`, has
 * tagRange null; when those pieces are literal characters of the instruction
 * around one contiguous run of a single ARG default's characters (`${V}-slim`,
 * `v${V}`, `${V}-alpine3.20`), `tagTemplate` says where that run is and what
 * is written before and after it, so a new tag can be written into the ARG
 * default. Two variables, an ARG built from other ARGs, or an escape inside the
 * run give no template. `pinInsertAt` is set for an unpinned, tagged reference whose
 * tag is written in the instruction itself, or whose whole text is exactly one
 * ARG default (then the digest is inserted at the end of that default).
 */
import { parseImageReference, parseReference } from "../reference/index.js";
import { ExpansionBudget, expandWord, isLimit, type ArgValue, type Expanded, type ExpansionLimit } from "./expand.js";
import { flagValues, splitFlags, stageNameOf, type Split } from "./flags.js";
import { lex, type Instruction } from "./lexer.js";
import { contiguous, pinPoint, templateOf } from "./ranges.js";
import { lineOf, lineStarts, slice, words, type SourceText } from "./source-text.js";
import type { ExtractionResult, FoundReference, InstructionKind, SkipReason } from "./types.js";

/** `budget` bounds the ARG expansion of this one file; tests pass their own to read its steps. */
export function extractReferences(content: string, budget = new ExpansionBudget()): ExtractionResult {
  try {
    if (content.includes("\u0000")) return { references: [], error: "not a text file (contains NUL bytes)" };
    return { references: extract(content, budget), error: null };
  } catch (e) {
    return { references: [], error: `could not read as a Dockerfile: ${e instanceof Error ? e.message : String(e)}` };
  }
}

interface Context {
  readonly escape: string;
  readonly budget: ExpansionBudget;
  readonly scope: Map<string, ArgValue>;
  readonly argValues: Map<number, Expanded>;
  readonly lineStarts: readonly number[];
  /** Every stage name in the file, lower-cased: COPY --from and mounts may name later stages. */
  readonly allStages: ReadonlySet<string>;
}

function extract(content: string, budget: ExpansionBudget): FoundReference[] {
  const { instructions, escape } = lex(content);
  // Each FROM is cut into words once: for the stage names first, then for its reference.
  const fromWords = new Map<Instruction, Split>();
  for (const inst of instructions) if (inst.keyword === "FROM") fromWords.set(inst, splitFlags(inst, escape, 3));
  const ctx: Context = {
    escape,
    budget,
    scope: new Map(),
    argValues: new Map(),
    lineStarts: lineStarts(content),
    allStages: new Set([...fromWords.values()].flatMap(stageNameOf)),
  };
  const earlierStages = new Set<string>();
  const found: FoundReference[] = [];
  let seenFrom = false;
  for (const inst of instructions) {
    if (inst.keyword === "ARG" && !seenFrom) declareArgs(inst, ctx);
    const split = fromWords.get(inst);
    if (split) {
      seenFrom = true;
      const ref = fromReference(split, ctx, earlierStages);
      if (ref) found.push(ref);
      for (const name of stageNameOf(split)) earlierStages.add(name);
    }
    if (inst.keyword === "COPY") found.push(...copyReferences(inst, ctx));
    if (inst.keyword === "RUN") found.push(...mountReferences(inst, ctx));
  }
  return found;
}

const NO_TEXT: Expanded = { text: "", offsets: [], origins: [], unresolved: [] };

function declareArgs(inst: Instruction, ctx: Context): void {
  for (const w of words(inst.args, ctx.escape)) {
    const eq = w.text.indexOf("=");
    const name = eq === -1 ? w.text : w.text.slice(0, eq);
    const id = ctx.argValues.size;
    const value = eq === -1 ? null : expandWord(slice(w, eq + 1), ctx.scope, ctx.escape, ctx.budget, id);
    ctx.argValues.set(id, value && !isLimit(value) ? value : NO_TEXT);
    ctx.scope.set(name, { id, value });
  }
}

function fromReference(
  { flags, rest }: Split,
  ctx: Context,
  earlierStages: ReadonlySet<string>,
): FoundReference | null {
  const image = rest[0];
  if (!image) return null;
  const expanded = expandWord(image, ctx.scope, ctx.escape, ctx.budget);
  if (!isLimit(expanded) && expanded.unresolved.length === 0) {
    const lower = expanded.text.toLowerCase();
    if (lower === "scratch" || earlierStages.has(lower)) return null;
  }
  return describe("FROM", image, expanded, platformOf(flags, ctx), ctx);
}

function platformOf(flags: SourceText[], ctx: Context): string | null {
  const value = flagValues(flags, "platform")[0];
  if (!value || value.text.includes("$")) return null;
  const expanded = expandWord(value, ctx.scope, ctx.escape, ctx.budget);
  return (!isLimit(expanded) && expanded.text) || null;
}

/** A stage is named by an index ("0") or a stage name; anything else is an image. */
function isStage(text: string, ctx: Context): boolean {
  return /^[0-9]+$/.test(text) || ctx.allStages.has(text.toLowerCase());
}

const NO_ARGS: ReadonlyMap<string, ArgValue> = new Map();

/** BuildKit's test for a variable in `from=` (parseMount): a `$` anywhere but at the end. */
function hasVariable(text: string): boolean {
  const at = text.indexOf("$");
  return at !== -1 && at !== text.length - 1;
}

/** COPY --from and RUN --mount from=: quotes and escapes are read, variables never expanded. */
function imageFrom(kind: InstructionKind, value: SourceText, ctx: Context): FoundReference | null {
  if (value.text === "") return null;
  if (hasVariable(value.text)) {
    const where = kind === "COPY --from" ? "COPY --from" : "RUN --mount from=";
    return skipped(kind, value, value.text, ctx, {
      reason: "variable-not-expanded",
      detail: `BuildKit does not expand variables in ${where} (${JSON.stringify(shown(value.text))}); name the image in a FROM … AS <stage> and use that stage`,
    });
  }
  const expanded = expandWord(value, NO_ARGS, ctx.escape, ctx.budget);
  if (!isLimit(expanded) && isStage(expanded.text, ctx)) return null;
  return describe(kind, value, expanded, null, ctx);
}

function copyReferences(inst: Instruction, ctx: Context): FoundReference[] {
  const { flags } = splitFlags(inst, ctx.escape, 1);
  return flagValues(flags, "from").flatMap((v) => imageFrom("COPY --from", v, ctx) ?? []);
}

function mountReferences(inst: Instruction, ctx: Context): FoundReference[] {
  const { flags } = splitFlags(inst, ctx.escape, 1);
  const out: FoundReference[] = [];
  for (const mount of flagValues(flags, "mount")) {
    let start = 0;
    for (const field of mount.text.split(",")) {
      if (field.toLowerCase().startsWith("from=")) {
        const ref = imageFrom("RUN --mount", slice(mount, start + 5, start + field.length), ctx);
        if (ref) out.push(ref);
      }
      start += field.length + 1;
    }
  }
  return out;
}

/** Long text cut short for messages. */
function shown(text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 200)}…`;
}

/** What was read of a reference: every field of FoundReference but where it is and what it expanded to. */
type Reading = Omit<FoundReference, "line" | "instruction" | "expanded">;

const NOTHING_READ: Reading = {
  ref: null,
  platform: null,
  digestRange: null,
  tagRange: null,
  tagTemplate: null,
  pinInsertAt: null,
  skip: null,
};

/** The reference at `written`, every field set in one order (one object shape for the planner to read). */
function foundAt(
  instruction: InstructionKind,
  written: SourceText,
  expanded: string,
  ctx: Context,
  read: Reading,
): FoundReference {
  return {
    line: lineOf(written.offsets[0] ?? 0, ctx.lineStarts),
    instruction,
    expanded,
    ref: read.ref,
    platform: read.platform,
    digestRange: read.digestRange,
    tagRange: read.tagRange,
    tagTemplate: read.tagTemplate,
    pinInsertAt: read.pinInsertAt,
    skip: read.skip,
  };
}

function skipped(
  instruction: InstructionKind,
  written: SourceText,
  expanded: string,
  ctx: Context,
  skip: { readonly reason: SkipReason; readonly detail: string },
): FoundReference {
  return foundAt(instruction, written, expanded, ctx, { ...NOTHING_READ, skip });
}

function describe(
  instruction: InstructionKind,
  written: SourceText,
  expansion: Expanded | ExpansionLimit,
  platform: string | null,
  ctx: Context,
): FoundReference {
  if (isLimit(expansion)) {
    const detail = `${JSON.stringify(shown(written.text))} ${expansion.limit}`;
    return skipped(instruction, written, shown(written.text), ctx, { reason: "expansion-limit", detail });
  }
  const e = expansion;
  const skip = (reason: SkipReason, detail: string): FoundReference =>
    foundAt(instruction, written, e.text, ctx, { ...NOTHING_READ, platform, skip: { reason, detail } });
  if (e.unresolved.length > 0) {
    return skip(
      "unresolved-variable",
      `no value for ${[...new Set(e.unresolved)].join(", ")} in ${JSON.stringify(e.text)}`,
    );
  }
  const parsed = parseReference(e.text);
  if (!parsed.ok) {
    const reason = parsed.error.name === "digest.ErrDigestUnsupported" ? "unsupported-digest" : "invalid-reference";
    return skip(reason, `${parsed.error.message}: ${JSON.stringify(e.text)}`);
  }
  const image = parseImageReference(e.text);
  if (!image.ok) return skip("invalid-reference", image.reason);
  const ref = image.ref;
  const at = ref.digest ? e.text.length - ref.digest.length : e.text.length;
  const tagStart = ref.name.length + 1;
  const tagEnd = tagStart + (ref.tag?.length ?? 0);
  const tagRange = ref.tag ? contiguous(e, tagStart, tagEnd) : null;
  return foundAt(instruction, written, e.text, ctx, {
    ref,
    platform,
    digestRange: ref.digest ? contiguous(e, at, e.text.length) : null,
    tagRange,
    tagTemplate: ref.tag && !tagRange ? templateOf(e, tagStart, tagEnd) : null,
    pinInsertAt: pinPoint(e, ref.digest, tagStart, tagRange, ctx.argValues),
    skip:
      ref.digest && !ref.tag
        ? { reason: "digest-without-tag", detail: `${e.text} has a digest but no tag to follow` }
        : null,
  });
}
