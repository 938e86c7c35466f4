/**
 * A real PostgreSQL for the tests (Debian's postgresql 15): `startPostgres` runs a throwaway cluster
 * on a free loopback port in a temporary directory; `usePostgres` shares one per test file.
 */
import { afterAll, beforeAll } from "vitest";
import { startPostgres, type TestPostgres } from "./cluster.js";

export { POSTGRES_BIN, startPostgres, type TestPostgres } from "./cluster.js";

/** One cluster for the test file, started before its tests and removed after them. */
export function usePostgres(): () => TestPostgres {
  let cluster: TestPostgres | null = null;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  return () => {
    if (!cluster) throw new Error("the PostgreSQL cluster is not started yet");
    return cluster;
  };
}
