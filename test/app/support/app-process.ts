// The App as its own OS process, the way `npm start` runs it (Probot's `run` with the default
// export): everything from the environment (REPIN_DATA_DIR, REPIN_SCHEDULE, GHE_HOST, …). Logs are
// pino JSON lines on stdout; SIGTERM stops it.
import { run } from "probot";
import repinApp from "../../../src/app/index.js";

const server = await run(repinApp);
process.on("SIGTERM", () => {
  void server.stop().finally(() => process.exit(0));
});
