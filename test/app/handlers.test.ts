import { describe, expect, it } from "vitest";
import { touchesTracked } from "../../src/app/handlers.js";
import { parseRepinConfig } from "../../src/config/index.js";

describe("push filter", () => {
  it("rescans for tracked files and the config, not for other files", () => {
    expect(touchesTracked([{ added: [], modified: ["docs/x.md"], removed: [] }])).toBe(false);
    expect(touchesTracked([{ added: ["svc/Dockerfile"], modified: [], removed: [] }])).toBe(true);
    expect(touchesTracked([{ modified: [".github/repin.yml"] }])).toBe(true);
    expect(
      touchesTracked(
        [{ modified: ["deploy/base.txt"] }],
        parseRepinConfig("paths:\n  include: ['deploy/*.txt']\n", ".github/repin.yml"),
      ),
    ).toBe(true);
    expect(touchesTracked([{ removed: ["node_modules/x/Dockerfile"] }])).toBe(false);
  });
});
