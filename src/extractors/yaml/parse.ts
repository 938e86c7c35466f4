import { parseAllDocuments, type Document, type Node } from "yaml";
import { lineOf, lineStarts } from "../../dockerfile/source-text.js";
import { exceededLimit } from "./limits.js";
import { parseSubset } from "./subset.js";

export interface YamlDocument {
  /** The root node, null for an empty document. */
  readonly root: Node | null;
  /** Anchored nodes by name, in document order (a name may be defined again further down). */
  readonly anchors: ReadonlyMap<string, readonly Node[]>;
}

export type YamlParse =
  | { readonly ok: true; readonly documents: readonly YamlDocument[] }
  | { readonly ok: false; readonly reason: "parse-error" | "limit-exceeded"; readonly detail: string };

/**
 * Every document of a YAML stream, with node ranges into `text` (the `yaml` package's composer; the
 * text is never re-serialized). Never throws: a file past a bound (./limits.ts) or with a syntax
 * error is one failure naming the parser's line.
 */
export function parseYaml(text: string): YamlParse {
  const limit = exceededLimit(text);
  if (limit !== null) return { ok: false, reason: "limit-exceeded", detail: `not read as YAML: ${limit}` };
  const roots = parseSubset(text);
  if (roots !== null) return { ok: true, documents: roots.map((root) => ({ root, anchors: NO_ANCHORS })) };
  return parseFull(text);
}

/** The `yaml` package's parse, for what the subset reader leaves (./subset.ts). */
export function parseFull(text: string): YamlParse {
  let documents: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false });
    documents = Array.isArray(parsed) ? parsed : [];
  } catch (error) {
    return { ok: false, reason: "limit-exceeded", detail: `not read as YAML: ${(error as Error).message}` };
  }
  for (const document of documents) {
    const error = document.errors[0];
    if (error) {
      const line = lineOf(error.pos[0], lineStarts(text));
      return { ok: false, reason: "parse-error", detail: `invalid YAML at line ${line}: ${firstLine(error.message)}` };
    }
  }
  // Without a `&` in the text there are no anchors to find: no walk.
  const mayHaveAnchors = text.includes("&");
  return {
    ok: true,
    documents: documents.map((document) => ({
      root: document.contents,
      anchors: mayHaveAnchors ? anchorsOf(document) : NO_ANCHORS,
    })),
  };
}

function anchorsOf(document: Document.Parsed): Map<string, Node[]> {
  const anchors = new Map<string, Node[]>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    const n = node as { anchor?: string; items?: unknown[]; key?: unknown; value?: unknown };
    if (typeof n.anchor === "string" && n.anchor !== "") {
      const list = anchors.get(n.anchor) ?? [];
      list.push(node as Node);
      anchors.set(n.anchor, list);
    }
    if (Array.isArray(n.items)) for (const item of n.items) visit(item);
    if ("key" in n) {
      visit(n.key);
      visit(n.value);
    }
  };
  // Nesting is bounded by YAML_LIMITS before parsing, so this recursion is too.
  visit(document.contents);
  return anchors;
}

const NO_ANCHORS: ReadonlyMap<string, readonly Node[]> = new Map();

function firstLine(message: string): string {
  const cut = message.indexOf(" at line ");
  const line = cut === -1 ? message.split("\n")[0]! : message.slice(0, cut);
  return line.trim();
}
