// A queue replica as its own process (for the SIGKILL test): runs the PostgreSQL queue on the
// database in argv[2]; every job it takes prints `running <owner/repo>` and then never ends.
import pg from "pg";
import { createPgWorkQueue } from "../../../src/queue/pg-queue.js";

const pool = new pg.Pool({ connectionString: process.argv[2] });
pool.on("error", () => undefined);
const queue = createPgWorkQueue({
  pool,
  run: async (job) => {
    process.stdout.write(`running ${job.owner}/${job.repo}\n`);
    await new Promise(() => undefined);
  },
  log: { warn: () => undefined, error: () => undefined },
});
await queue.start();
process.stdout.write("started\n");
