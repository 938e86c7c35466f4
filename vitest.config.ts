import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The CLI tests run the built command (dist/cli/main.js): rebuilt first when src is newer.
    globalSetup: ["test/support/build-cli.ts"],
  },
});
