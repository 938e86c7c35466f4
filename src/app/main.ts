/**
 * The repin process (`npm start`, the container's command): Probot's `run` with the App from the
 * environment, and a graceful stop on SIGTERM/SIGINT (SPEC 12): no new work, the running work
 * finished or handed back within REPIN_SHUTDOWN_GRACE, the HTTP server and the store closed, exit 0.
 */
import { run } from "probot";
import { repinFromEnv } from "./index.js";
import { RepinOctokit } from "./octokit.js";
import { onSignals, shutdownGraceMs, within } from "./shutdown.js";

const graceMs = shutdownGraceMs(process.env);
const repin = repinFromEnv();
// Probot's `run` stops the server and exits at once on SIGINT: its listener gives way to the graceful one.
const before = new Set(process.listeners("SIGINT"));
const server = await run(repin.app, { Octokit: RepinOctokit });
for (const listener of process.listeners("SIGINT")) if (!before.has(listener)) process.off("SIGINT", listener);

// Before the App loads (the setup flow) there is only the console to tell.
const consoleLog = {
  info: (_fields: object, message?: string) => console.info(message),
  warn: (_fields: object, message?: string) => console.warn(message),
  error: (fields: object, message?: string) => console.error(message, fields),
};
onSignals({
  log: repin.log() ?? consoleLog,
  stop: async () => {
    // The server stops taking connections while the App finishes its work; both within the grace.
    const closing = within(server.stop(), graceMs);
    await repin.stop(graceMs);
    await closing;
  },
});
