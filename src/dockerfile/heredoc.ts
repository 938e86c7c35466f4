/**
 * Which heredocs an instruction line opens, following BuildKit's
 * `heredocsFromLine` / `ParseHeredoc` (frontend/dockerfile/parser/parser.go):
 * the whole line is split into shell words with quotes, escapes and `$`
 * references kept raw, and only a word that is `[fd]<<[-][spaces]word` with no
 * further `<` opens a heredoc. So `<<<`, `$((1<<2))`, `a<<b` and `"<<EOF"` do not.
 */

export interface HeredocMarker {
  /** The terminator line, quotes removed and escapes applied. */
  readonly name: string;
  /** `<<-`: the terminator may be indented with tabs. */
  readonly chomp: boolean;
}

const HEREDOC_KEYWORDS: ReadonlySet<string> = new Set(["RUN", "COPY", "ADD"]);
/** `[fd]<<[-]`; the rest of the word is checked apart (`\s*([^<]*)$` in one regex backtracks quadratically). */
const HEREDOC_START = /^\d*<<(-?)/;
const ESCAPE = "\\";

/** Heredocs opened by an instruction (`keyword` upper-cased, `args` after it), in order. */
export function heredocsOf(keyword: string, args: string): HeredocMarker[] {
  if (!args.includes("<<")) return [];
  if (keyword === "ONBUILD") {
    const inner = /^\s*(\S+)/.exec(args)?.[1]?.toUpperCase() ?? "";
    if (!HEREDOC_KEYWORDS.has(inner)) return [];
  } else if (!HEREDOC_KEYWORDS.has(keyword)) return [];
  // BuildKit ignores lexing errors here by finding no words, hence no heredocs.
  const words = shellWords(args, true) ?? [];
  const markers: HeredocMarker[] = [];
  for (const word of words) {
    const m = HEREDOC_START.exec(word);
    if (!m) continue;
    const rest = word.slice(m[0].length).trimStart();
    if (rest === "" || rest.includes("<")) continue;
    const name = shellWords(rest, false);
    if (name?.length === 1) markers.push({ name: name[0]!, chomp: m[1] === "-" });
  }
  return markers;
}

/**
 * BuildKit's `shell.Lex.ProcessWords` with no variables set and SkipUnsetEnv:
 * `$` references stay as written. `raw` keeps quotes and escapes in the words
 * (RawQuotes + RawEscapes); otherwise they are removed. Null on a lexing error
 * (unterminated quote or `${`). An unquoted `<<` takes the blanks after it into
 * its word, so `<< EOF` is one word.
 */
function shellWords(s: string, raw: boolean): string[] | null {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  const end = () => {
    if (word !== "") words.push(word);
    word = "";
    inWord = false;
  };
  const add = (text: string) => {
    word += text;
    inWord = true;
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "'") {
      const close = s.indexOf("'", i + 1);
      if (close === -1) return null;
      add(raw ? s.slice(i, close + 1) : s.slice(i + 1, close));
      i = close + 1;
    } else if (c === '"') {
      const q = doubleQuoted(s, i, raw);
      if (!q) return null;
      add(q.text);
      i = q.next;
    } else if (c === "$") {
      const next = dollarEnd(s, i);
      if (next === null) return null;
      // An expansion's text is split on blanks like any other expansion result.
      for (const ch of s.slice(i, next)) {
        if (/\s/.test(ch)) {
          if (inWord) end();
        } else add(ch);
      }
      i = next;
    } else if (c === ESCAPE) {
      if (raw) add(c);
      if (i + 1 < s.length) add(s[i + 1]!);
      i += 2;
    } else if (c === "<" && s[i + 1] === "<") {
      let j = i + 2;
      while (j < s.length && /[ \t\r]/.test(s[j]!)) j++;
      add(s.slice(i, j));
      i = j;
    } else if (/\s/.test(c)) {
      if (inWord) end();
      i++;
    } else {
      add(c);
      i++;
    }
  }
  end();
  return words;
}

/** Deeper `${…}` / `"…"` nesting is taken as a lexing error, so a hostile line cannot overflow the stack. */
const MAX_NESTING = 256;

function doubleQuoted(s: string, open: number, raw: boolean, depth = 0): { text: string; next: number } | null {
  let text = raw ? '"' : "";
  let i = open + 1;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"') return { text: raw ? text + c : text, next: i + 1 };
    if (c === "$") {
      const next = dollarEnd(s, i, depth);
      if (next === null) return null;
      text += s.slice(i, next);
      i = next;
    } else if (c === ESCAPE && /["$\\]/.test(s[i + 1] ?? "")) {
      text += raw ? s.slice(i, i + 2) : s[i + 1]!;
      i += 2;
    } else {
      text += c;
      i++;
    }
  }
  return null;
}

const PARAMETER_NAME = /(?:\d+|[@*#?\-$!]|[\p{L}\p{N}_]*)/uy;

/** End of a `$` reference starting at `i`; `${...}` must close. */
function dollarEnd(s: string, i: number, depth = 0): number | null {
  if (s[i + 1] !== "{") return i + 1;
  if (depth >= MAX_NESTING) return null;
  const first = s[i + 2];
  if (first === undefined || first === "{" || first === "}" || first === ":") return null;
  // processName: a run of digits, one special parameter, or a name.
  PARAMETER_NAME.lastIndex = i + 2;
  const name = PARAMETER_NAME.exec(s)![0];
  let j = i + 2 + name.length;
  if (s[j] === "}") return j + 1;
  if (!/[:+\-?#%/]/.test(s[j] ?? "")) return null;
  if (s[j] === ":") j++; // BuildKit consumes the character after `:` unchecked
  // The modifier's word runs to the next `}` outside quotes, escapes and nested `${}`.
  for (j++; j < s.length; j++) {
    const c = s[j]!;
    if (c === "}") return j + 1;
    if (c === ESCAPE) j++;
    else if (c === "'") {
      j = s.indexOf("'", j + 1);
      if (j === -1) return null;
    } else if (c === '"') {
      const q = doubleQuoted(s, j, true, depth + 1);
      if (!q) return null;
      j = q.next - 1;
    } else if (c === "$") {
      const next = dollarEnd(s, j, depth + 1);
      if (next === null) return null;
      j = next - 1;
    }
  }
  return null;
}
