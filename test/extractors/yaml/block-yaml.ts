/**
 * Random block-style YAML for the subset reader's differential test: nested mappings and sequences
 * in every layout the subset claims (compact `- key:` maps, sequences at their key's column, one-line
 * flow collections, comments, blank lines, `---` documents, CRLF, a BOM), with keys and values the
 * kinds look for, and random edits that push a text out of the subset or out of YAML altogether.
 */
import fc from "fast-check";

type Tree =
  | { readonly scalar: string }
  | { readonly map: readonly (readonly [string, Tree])[] }
  | { readonly seq: readonly Tree[] }
  | { readonly flow: string };

const digest = `sha256:${"a".repeat(64)}`;

const KEYS = [
  "image",
  "tag",
  "repository",
  "registry",
  "digest",
  "services",
  "containers",
  "initContainers",
  "spec",
  "template",
  "jobTemplate",
  "kind",
  "apiVersion",
  "jobs",
  "container",
  "steps",
  "uses",
  "images",
  "name",
  "newName",
  "newTag",
  "platform",
  "'image'",
  '"tag"',
  "a b",
  "true",
  "1",
  "x:y",
  "-k",
  "~",
  "<<",
  "k#1",
];

const WORDS = [
  "r.io/base:1.0",
  `r.io/base:1.0@${digest}`,
  "nginx",
  "Deployment",
  "Pod",
  "CronJob",
  "v1",
  "docker://r.io/base:1.0",
  "7",
  "7.2",
  "3.20",
  "1e3",
  "-1",
  "+12",
  "0o17",
  "0x1F",
  ".inf",
  "-.Inf",
  ".NaN",
  "~",
  "null",
  "NULL",
  "true",
  "False",
  "",
  "${X}",
  "$(IMAGE)",
  "a b",
  "it's",
  "x]",
  "x}",
  "a,b",
  "a#b",
  "é",
  "{{ .Values.x }}",
];

/** Characters that matter to YAML's syntax, for values that are not in the lists above. */
const TRICKY = [..."ab1.-:#'\"[]{},&*!|>%@`? \\"];

const word = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...TRICKY), { maxLength: 6 }).map((c) => c.join("")) },
);

/** A scalar as written: plain, single-quoted or double-quoted. */
const written = fc
  .tuple(word, fc.constantFrom("plain", "single", "double"))
  .map(([text, style]) =>
    style === "single" ? `'${text.replaceAll("'", "''")}'` : style === "double" ? `"${text}"` : text,
  );

const flow: fc.Arbitrary<string> = fc.letrec<{ flow: string }>((tie) => ({
  flow: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    written,
    fc.array(tie("flow"), { maxLength: 3 }).map((items) => `[${items.join(", ")}]`),
    fc
      .array(fc.tuple(fc.constantFrom(...KEYS), tie("flow")), { maxLength: 3 })
      .map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(", ")}}`),
  ),
})).flow;

const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    written.map((scalar) => ({ scalar })),
    flow.filter((f) => f.startsWith("[") || f.startsWith("{")).map((f) => ({ flow: f })),
    fc.array(fc.tuple(fc.constantFrom(...KEYS), tie("tree")), { minLength: 1, maxLength: 4 }).map((map) => ({ map })),
    fc.array(tie("tree"), { minLength: 1, maxLength: 3 }).map((seq) => ({ seq })),
  ),
})).tree;

interface Layout {
  readonly step: number;
  /** A mapping's sequence at its key's column (`key:\n- a`). */
  readonly flush: boolean;
  /** Sequence items that are mappings start on the dash's line (`- key: v`). */
  readonly compact: boolean;
  readonly comments: boolean;
}

const pad = (n: number) => " ".repeat(n);
const comment = (layout: Layout, i: number) => (layout.comments && i % 2 === 0 ? " # note" : "");

/** Lines of `node` under a parent at `indent`; `inline` is what already stands on the first line. */
function render(node: Tree, indent: number, layout: Layout): string[] {
  if ("scalar" in node || "flow" in node) return [];
  if ("map" in node)
    return node.map.flatMap(([key, value], i) => {
      const head = `${pad(indent)}${key}:`;
      if ("scalar" in value) return [`${head}${value.scalar === "" ? "" : ` ${value.scalar}`}${comment(layout, i)}`];
      if ("flow" in value) return [`${head} ${value.flow}${comment(layout, i)}`];
      const below = "seq" in value && layout.flush ? indent : indent + layout.step;
      return [
        head + comment(layout, i + 1),
        ...(layout.comments && i === 1 ? ["# between"] : []),
        ...render(value, below, layout),
      ];
    });
  return node.seq.flatMap((item, i) => {
    const dash = `${pad(indent)}-`;
    if ("scalar" in item) return [`${dash}${item.scalar === "" ? "" : ` ${item.scalar}`}${comment(layout, i)}`];
    if ("flow" in item) return [`${dash} ${item.flow}`];
    if ("map" in item && layout.compact) {
      const [first, ...rest] = render(item, indent + 2, layout);
      return [`${dash} ${first!.slice(indent + 2)}`, ...rest];
    }
    return [dash, ...render(item, indent + layout.step, layout)];
  });
}

const layout = fc.record({
  step: fc.integer({ min: 1, max: 4 }),
  flush: fc.boolean(),
  compact: fc.boolean(),
  comments: fc.boolean(),
});

const root = fc.oneof(
  fc.array(fc.tuple(fc.constantFrom(...KEYS), tree), { minLength: 1, maxLength: 4 }).map((map) => ({ map }) as Tree),
  fc.array(tree, { minLength: 1, maxLength: 3 }).map((seq) => ({ seq }) as Tree),
);

/** A stream of one or more documents, with its line ends and a BOM or not. */
export const blockYaml: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.tuple(root, fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 3 }),
    layout,
    fc.boolean(),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([documents, lay, crlf, bom, leading]) => {
    const lines = documents.flatMap(([doc, indent], i) => [
      ...(i > 0 || leading ? ["---"] : []),
      ...(lay.comments ? ["", "# doc"] : []),
      ...render(doc, indent, lay),
    ]);
    return `${bom ? "\uFEFF" : ""}${lines.join(crlf ? "\r\n" : "\n")}${crlf ? "\r\n" : "\n"}`;
  });

const EDITS = [
  "\t",
  "&a ",
  "*a",
  "!t ",
  "|\n",
  ">-\n",
  "? ",
  "- ",
  ": ",
  " #",
  "#",
  "'",
  '"',
  "\\",
  "[",
  "]",
  "{",
  "}",
];
const MORE_EDITS = [
  ",",
  "\r\n",
  "\n",
  "\r",
  " ",
  "  ",
  "---\n",
  "--- x\n",
  "...\n",
  "%YAML 1.2\n",
  "\uFEFF",
  "x",
  "\u0085",
];

/** A text with a few random insertions and deletions. */
export function edited(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.constantFrom(...EDITS, ...MORE_EDITS), fc.integer({ min: 0, max: 3 }));
  return fc.tuple(text, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([base, edits]) =>
    edits.reduce((t, [at, insert, remove]) => {
      const i = t.length === 0 ? 0 : at % t.length;
      return t.slice(0, i) + insert + t.slice(i + remove);
    }, base),
  );
}
