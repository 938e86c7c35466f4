/** The words of a FROM, COPY or RUN instruction: its leading `--flags`, the values of one flag, a stage name. */
import type { Instruction } from "./lexer.js";
import { slice, words, type SourceText } from "./source-text.js";

/** An instruction cut into its leading `--flags` and the words after them. */
export interface Split {
  readonly flags: SourceText[];
  readonly rest: SourceText[];
}

/** The leading `--flags` and up to `restWanted` words after them (a RUN's script is not cut into words). */
export function splitFlags(inst: Instruction, escape: string, restWanted: number): Split {
  let restSeen = 0;
  const ws = words(inst.args, escape, (w) => (restSeen > 0 || !w.text.startsWith("--")) && ++restSeen >= restWanted);
  const n = ws.findIndex((w) => !w.text.startsWith("--"));
  return n === -1 ? { flags: ws, rest: [] } : { flags: ws.slice(0, n), rest: ws.slice(n) };
}

/** The values of `--<name>=…` among the flags, as written after the `=`. */
export function flagValues(flags: SourceText[], name: string): SourceText[] {
  const prefix = `--${name}=`;
  return flags.filter((f) => f.text.toLowerCase().startsWith(prefix)).map((f) => slice(f, prefix.length));
}

/** The stage a FROM names (`FROM image AS name`), lower-cased. */
export function stageNameOf({ rest }: Split): string[] {
  return rest.length >= 3 && rest[1]!.text.toLowerCase() === "as" ? [rest[2]!.text.toLowerCase()] : [];
}
