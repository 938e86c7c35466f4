/** A block of non-blank lines and the 1-based line it starts on. */
export interface Stanza {
  readonly line: number;
  readonly lines: string[];
}

/** Splits text into blocks separated by blank (or whitespace-only) lines. */
export function splitStanzas(text: string): Stanza[] {
  const stanzas: Stanza[] = [];
  let current: Stanza | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === "") {
      current = null;
      return;
    }
    if (current === null) {
      current = { line: index + 1, lines: [] };
      stanzas.push(current);
    }
    current.lines.push(raw);
  });
  return stanzas;
}
