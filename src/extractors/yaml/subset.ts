/**
 * A linear reader for the block-style YAML most manifests, compose files, workflows and values files
 * are written in: block mappings and sequences, plain and quoted one-line scalars, one-line flow
 * collections, comments, `---` documents, CRLF and a leading BOM. It builds the same nodes, with the
 * same values and source ranges, that the `yaml` package's composer would (the `yaml` node classes, so
 * the readers in ./nodes.ts serve both), at a fraction of its cost. Anything outside the subset —
 * anchors, aliases, tags, block scalars, multi-line scalars, complex keys, escapes, tabs, directives,
 * and every syntax error — returns null, and the file is read by the full parser (./parse.ts). A
 * property test holds the two to the same nodes (test/extractors/yaml/subset.property.test.ts).
 */
import type { Node, YAMLMap, YAMLSeq } from "yaml";
import { mapNode, pairNode, seqNode } from "./subset-nodes.js";
import {
  blockKey,
  blockPlain,
  expectLineEnd,
  flowCollection,
  isBlank,
  isLineEnd,
  OUTSIDE_SUBSET,
  outside,
  quoted,
  scalar,
  skipSpaces,
} from "./subset-scalars.js";

/** Characters the subset leaves to the full parser: tabs, controls, a BOM past the start, a lone CR, NEL, LS, PS. */
const OUTSIDE_CHARACTERS = /[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|\r(?!\n)/g;

/** The documents' root nodes (null: the text has none), or null when the text is outside the subset. */
export function parseSubset(text: string): (Node | null)[] | null {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // After a BOM the `yaml` package misreads a first line that is indented or a sequence item.
  if (start === 1 && (text.charCodeAt(1) === 32 || (text.charCodeAt(1) === 45 && isBlank(text, 2)))) return null;
  OUTSIDE_CHARACTERS.lastIndex = start;
  if (OUTSIDE_CHARACTERS.test(text)) return null;
  try {
    return new SubsetReader(text, start).documents();
  } catch (error) {
    if (error === OUTSIDE_SUBSET) return null;
    throw error;
  }
}

/** A line with content: where it starts, its indentation, where its content starts. `---` lines have indent -1. */
interface Line {
  readonly start: number;
  readonly indent: number;
  readonly content: number;
}

const DOCUMENT_START: Line = { start: -1, indent: -1, content: -1 };

class SubsetReader {
  /** Where the next unread line starts. */
  private at: number;
  private peeked: Line | null = null;
  private peekedAt = -1;

  constructor(
    private readonly text: string,
    start: number,
  ) {
    this.at = start;
  }

  documents(): Node[] {
    const documents: Node[] = [];
    let line = this.peek();
    while (line !== null) {
      if (line.indent === -1) {
        // `---`: an explicit document; nothing but a comment may follow on its line.
        const marker = line.start;
        expectLineEnd(this.text, marker + 3);
        this.nextLine(marker);
        const first = this.peek();
        if (first === null || first.indent === -1) {
          const empty = skipSpaces(this.text, marker + 3);
          documents.push(scalar(null, "PLAIN", empty, empty));
          line = first;
          continue;
        }
        line = first;
      }
      documents.push(this.block(line));
      line = this.peek();
      if (line !== null && line.indent !== -1) outside();
    }
    return documents;
  }

  /** The next line with content from `this.at` (blank and comment lines skipped), not consumed; null at the end. */
  private peek(): Line | null {
    if (this.peekedAt === this.at) return this.peeked;
    const text = this.text;
    let start = this.at;
    let line: Line | null = null;
    while (start < text.length) {
      const content = skipSpaces(text, start);
      const c = text.charCodeAt(content);
      if (!isLineEnd(text, content) && c !== 35 /* # */) {
        line = { start, indent: content - start, content };
        if (content === start) line = this.atColumnZero(line);
        break;
      }
      start = this.lineAfter(content);
    }
    this.peekedAt = this.at;
    this.peeked = line;
    return line;
  }

  /** `---` starts a document; `...`, `%` directives and `---x` are left to the full parser. */
  private atColumnZero(line: Line): Line {
    const text = this.text;
    const c = text.charCodeAt(line.start);
    if (c === 37 /* % */) outside();
    if ((c === 45 || c === 46) && text.startsWith(c === 45 ? "---" : "...", line.start)) {
      if (c === 46 || !isBlank(text, line.start + 3)) outside();
      return { ...DOCUMENT_START, start: line.start, content: line.start };
    }
    return line;
  }

  /** Where the line after the one holding `i` starts (the text's length after the last line). */
  private lineAfter(i: number): number {
    const next = this.text.indexOf("\n", i);
    return next === -1 ? this.text.length : next + 1;
  }

  /** Consumes the line holding `i`. */
  private nextLine(i: number): void {
    this.at = this.lineAfter(i);
  }

  /** A block collection whose first line is `line`: a sequence when it starts with `- `, else a mapping. */
  private block(line: Line): Node {
    const text = this.text;
    if (text.charCodeAt(line.content) === 45 && isBlank(text, line.content + 1)) return this.sequence(line.indent);
    return this.mapping(line.indent, line.content);
  }

  /** A block mapping whose keys are at column `indent`; its first key is at `at` on the current line. */
  private mapping(indent: number, at: number): YAMLMap {
    const map = mapNode(false);
    let keyAt = at;
    for (;;) {
      const entry = blockKey(this.text, keyAt);
      if (entry === null) outside();
      const value = this.valueAfter(entry.colon + 1, indent, true);
      map.items.push(pairNode(entry.key, value));
      const next = this.peek();
      if (next === null || next.indent < indent) break;
      if (next.indent > indent) outside();
      keyAt = next.content;
    }
    map.range = [at, this.at, this.at];
    return map;
  }

  /** A block sequence whose `-` are at column `indent`, from the current line. */
  private sequence(indent: number): YAMLSeq {
    const text = this.text;
    const seq = seqNode(false);
    let line = this.peek()!;
    const from = line.content;
    for (;;) {
      const at = skipSpaces(text, line.content + 1);
      const c = text.charCodeAt(at);
      if (at > line.content + 1 && !isLineEnd(text, at) && c !== 35) {
        if (c === 45 && isBlank(text, at + 1)) outside();
        const entry = c === 91 || c === 123 ? null : blockKey(text, at);
        seq.items.push(entry !== null ? this.mapping(at - line.start, at) : this.inline(at));
      } else {
        seq.items.push(this.valueAfter(line.content + 1, indent, false));
      }
      const next = this.peek();
      if (next === null || next.indent < indent) break;
      if (next.indent > indent) outside();
      if (text.charCodeAt(next.content) !== 45 || !isBlank(text, next.content + 1)) break;
      line = next;
    }
    seq.range = [from, this.at, this.at];
    return seq;
  }

  /**
   * The value after a key's `:` or an item's `-` (at `after`) in a collection at column `indent`: on the
   * same line, or a block on the lines below (a mapping's sequence may sit at the key's column), or null.
   */
  private valueAfter(after: number, indent: number, inMapping: boolean): Node {
    const text = this.text;
    const at = skipSpaces(text, after);
    if (!isLineEnd(text, at) && text.charCodeAt(at) !== 35) return this.inline(at);
    this.nextLine(at);
    const next = this.peek();
    if (next !== null && next.indent !== -1) {
      const dash = text.charCodeAt(next.content) === 45 && isBlank(text, next.content + 1);
      if (next.indent > indent || (inMapping && next.indent === indent && dash)) return this.block(next);
    }
    return scalar(null, "PLAIN", at, at);
  }

  /** A scalar or flow collection that ends its line (a comment aside); consumes the line. */
  private inline(at: number): Node {
    const text = this.text;
    const c = text.charCodeAt(at);
    let node: Node;
    let end: number;
    if (c === 91 || c === 123) ({ node, end } = flowCollection(text, at));
    else {
      node = c === 34 || c === 39 ? quoted(text, at) : blockPlain(text, at);
      end = node.range![1];
    }
    expectLineEnd(text, end);
    this.nextLine(end);
    return node;
  }
}
