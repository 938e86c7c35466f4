/**
 * The `yaml` package's nodes, as the subset reader (./subset.ts) builds them. The package's own
 * constructors give every instance its type with `Object.defineProperty`, which leaves each node a
 * slow dictionary-mode object: building a mapping with one pair that way cost 15 times what it costs
 * here. These classes keep the type on their prototype instead, under the same `Symbol.for` keys the
 * package's `isScalar`, `isMap`, `isSeq` and `isPair` read, and inherit from the package's classes, so
 * every reader (./nodes.ts) and `instanceof` treat them alike. Should a `yaml` release change how it
 * marks its nodes, the differential test (test/extractors/yaml/subset.property.test.ts) fails.
 */
import { Pair, Scalar, YAMLMap, YAMLSeq, type Node } from "yaml";

const NODE_TYPE = Symbol.for("yaml.node.type");

class ScalarNode {
  constructor(
    readonly value: unknown,
    readonly type: Scalar.Type,
    readonly range: [number, number, number],
  ) {}
}

class CollectionNode {
  readonly items: unknown[] = [];
  range: [number, number, number] = [0, 0, 0];
  constructor(readonly flow: boolean) {}
}

class MapNode extends CollectionNode {}
class SeqNode extends CollectionNode {}

class PairNode {
  constructor(
    readonly key: unknown,
    readonly value: unknown,
  ) {}
}

function marked(node: { prototype: object }, base: { prototype: object }, type: string): void {
  Object.setPrototypeOf(node.prototype, base.prototype);
  Object.defineProperty(node.prototype, NODE_TYPE, { value: Symbol.for(type) });
}
marked(ScalarNode, Scalar, "yaml.scalar");
marked(MapNode, YAMLMap, "yaml.map");
marked(SeqNode, YAMLSeq, "yaml.seq");
marked(PairNode, Pair, "yaml.pair");

export const scalarNode = (value: unknown, type: Scalar.Type, from: number, to: number): Scalar =>
  new ScalarNode(value, type, [from, to, to]) as unknown as Scalar;

export const mapNode = (flow: boolean): YAMLMap => new MapNode(flow) as unknown as YAMLMap;

export const seqNode = (flow: boolean): YAMLSeq => new SeqNode(flow) as unknown as YAMLSeq;

export const pairNode = (key: Node, value: Node): Pair => new PairNode(key, value) as unknown as Pair;
