import { plainLine } from "../markdown/index.js";
import type { Command, CommandKind } from "./types.js";

/** A comment with more command lines than this is acted on for the first ones only. */
export const MAX_COMMANDS = 10;
/** How much of an unknown command is kept (and may be echoed, escaped, in the reply). */
export const MAX_UNKNOWN_TEXT = 64;

const PREFIX = "/repin";
const KNOWN: ReadonlyMap<string, CommandKind> = new Map([
  ["rebase", "rebase"],
  ["recreate", "recreate"],
  ["ignore this digest", "ignore-digest"],
  ["ignore this image", "ignore-image"],
  ["unignore", "unignore"],
  ["scan", "scan"],
  ["explain", "explain"],
  ["help", "help"],
  // A bare `/repin` asks for help.
  ["", "help"],
]);
/** Longer than any known command: no need to normalize the rest of a huge line. */
const LONGEST_KNOWN = 64;

/**
 * The `/repin` commands of a comment or review body, in order, each once. A command is a line
 * that starts with `/repin` (leading whitespace allowed), case-insensitive; lines inside fenced
 * code blocks and quoted (`>`) lines are not commands. One pass over the lines, no regex on the
 * body, so a 1 MB body costs linear time.
 */
export function parseCommands(body: string | null | undefined): Command[] {
  if (!body || !body.toLowerCase().includes(PREFIX)) return [];
  const commands: Command[] = [];
  const seen = new Set<string>();
  let fence: Fence | null = null;
  let start = 0;
  while (start < body.length && commands.length < MAX_COMMANDS) {
    const newline = body.indexOf("\n", start);
    const end = newline === -1 ? body.length : newline;
    const line = body.slice(start, end).trim();
    start = end + 1;

    if (fence !== null) {
      if (closesFence(line, fence)) fence = null;
      continue;
    }
    fence = opensFence(line);
    if (fence !== null || line.startsWith(">")) continue;

    const command = commandOf(line);
    if (command === null) continue;
    const key = command.kind === "unknown" ? `unknown:${command.text}` : command.kind;
    if (seen.has(key)) continue;
    seen.add(key);
    commands.push(command);
  }
  return commands;
}

function commandOf(line: string): Command | null {
  if (line.slice(0, PREFIX.length).toLowerCase() !== PREFIX) return null;
  const rest = line.slice(PREFIX.length);
  // `/repinx` is not ours.
  if (rest !== "" && !/^\s/.test(rest)) return null;
  if (rest.length <= LONGEST_KNOWN) {
    const words = rest.trim().toLowerCase().split(/\s+/).join(" ");
    const kind = KNOWN.get(words);
    if (kind !== undefined) return { kind };
  }
  return { kind: "unknown", text: plainLine(rest, MAX_UNKNOWN_TEXT) };
}

interface Fence {
  readonly char: "`" | "~";
  readonly length: number;
}

/** CommonMark fences: three or more backticks or tildes (we accept any indentation: safer). */
function opensFence(line: string): Fence | null {
  const char = line[0];
  if (char !== "`" && char !== "~") return null;
  const length = runLength(line, char);
  if (length < 3) return null;
  // A backtick fence's info string may not contain backticks (then it is inline code).
  if (char === "`" && line.indexOf("`", length) !== -1) return null;
  return { char, length };
}

function closesFence(line: string, fence: Fence): boolean {
  const length = runLength(line, fence.char);
  return length >= fence.length && line.length === length;
}

function runLength(line: string, char: string): number {
  let n = 0;
  while (n < line.length && line[n] === char) n++;
  return n;
}
