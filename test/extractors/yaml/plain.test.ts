import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { readsAsString } from "../../../src/extractors/index.js";

describe("readsAsString: whether a new tag may be written as a plain YAML scalar", () => {
  it.each(["1.25.4", "3.20-alpine", "v1.2", "latest", "2.0.0rc1", "1.2.3_1", "alpine3.20", "20240115-abc"])(
    "%s reads as a string in YAML 1.2 and 1.1",
    (tag) => {
      expect(readsAsString(tag)).toBe(true);
      expect(parseDocument(`t: ${tag}`).get("t")).toBe(tag);
      expect(parseDocument(`t: ${tag}`, { version: "1.1" }).get("t")).toBe(tag);
    },
  );

  it.each(["3.20", "7", "1e3", "0x1F", "0o17", "true", "null", ".inf"])("%s does not in YAML 1.2", (tag) => {
    expect(readsAsString(tag)).toBe(false);
    expect(typeof parseDocument(`t: ${tag}`).get("t")).not.toBe("string");
  });

  it.each(["yes", "on", "1_000", "017", "2024-01-15", "1:30", "0b101"])(
    "%s does not in YAML 1.1 (Go's parsers)",
    (tag) => {
      expect(readsAsString(tag)).toBe(false);
      expect(typeof parseDocument(`t: ${tag}`, { version: "1.1" }).get("t")).not.toBe("string");
    },
  );
});
