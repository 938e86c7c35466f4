import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default on 2 cores is one worker; most files wait on processes and servers (registry,
    // simulator, PostgreSQL, App replicas), so two keep CI well under its 20 minutes.
    maxWorkers: 2,
    // The CLI tests run the built command (dist/cli/main.js): rebuilt first when src is newer.
    globalSetup: ["test/support/build-cli.ts"],
  },
});
