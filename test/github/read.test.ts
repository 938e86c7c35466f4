import { describe, expect, it } from "vitest";
import { parseRepinConfig, type ConfigParseResult } from "../../src/config/index.js";
import { readRepository } from "../../src/github/index.js";
import { openSqliteStore } from "../../src/store/index.js";
import { OWNER, REPO, useSimulator } from "../github-sim/setup.js";

// `.github/repin.yml` is parsed once per blob (SPEC 10: bounded work every cycle), and a blob over
// the size cap is refused before it is fetched.
const session = useSimulator();
const target = { installationId: 1, owner: OWNER, name: REPO, defaultBranch: "main" };

function countingParser() {
  const parsed: string[] = [];
  return {
    parsed,
    parseConfig: (text: string): ConfigParseResult => {
      parsed.push(text);
      return parseRepinConfig(text);
    },
  };
}

describe("reading the config", () => {
  it("parses the config only when its blob changed", async () => {
    const memory = await openSqliteStore(":memory:");
    const parser = countingParser();
    const first = await readRepository(session.octokit, target, memory, parser);
    expect(first.kind).toBe("changed");
    expect(parser.parsed).toEqual(["pin: true\nlabels: [deps]\n"]);

    // The head moved, the config blob did not: the parse is remembered.
    await session.f.sim.commitFiles(OWNER, REPO, "main", { "README.md": "hello\n" });
    const second = await readRepository(session.octokit, target, memory, parser);
    expect(second.kind).toBe("changed");
    expect(parser.parsed).toHaveLength(1);
    expect(second.kind === "changed" && second.repo.config).toEqual(first.kind === "changed" && first.repo.config);

    await session.f.sim.commitFiles(OWNER, REPO, "main", { ".github/repin.yml": "pin: false\n" });
    const third = await readRepository(session.octokit, target, memory, parser);
    expect(parser.parsed).toEqual(["pin: true\nlabels: [deps]\n", "pin: false\n"]);
    expect(third.kind === "changed" && third.repo.config.ok && third.repo.config.config.pin).toBe(false);
  });

  it("refuses a config over 64 KiB without fetching or parsing it", async () => {
    await session.f.sim.commitFiles(OWNER, REPO, "main", {
      ".github/repin.yml": `labels: [deps]\n${"# padding\n".repeat(7000)}`,
    });
    const memory = await openSqliteStore(":memory:");
    const parser = countingParser();
    session.f.sim.resetLog();
    const read = await readRepository(session.octokit, target, memory, parser);
    expect(read.kind === "changed" && read.repo.config).toEqual({
      ok: false,
      error: {
        file: ".github/repin.yml",
        line: 1,
        reason: "the file is 68.4 KiB; a repin config may be at most 64 KiB",
      },
    });
    expect(parser.parsed).toEqual([]);
    const configSha = read.kind === "changed" ? read.repo.record.configSha : null;
    expect(session.f.sim.requests.filter((r) => r.path.endsWith(`/git/blobs/${configSha}`))).toEqual([]);
  });
});
