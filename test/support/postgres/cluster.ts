import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "../registry/index.js";

const run = promisify(execFile);

/** Debian's PostgreSQL 15 (scripts/setup-system.sh installs `postgresql`). */
export const POSTGRES_BIN = "/usr/lib/postgresql/15/bin";

export interface TestPostgres {
  /** `127.0.0.1` */
  readonly host: string;
  readonly port: number;
  /** The owner's password (part of every URL; tests check it never shows). */
  readonly password: string;
  /** `postgres://repin:<password>@127.0.0.1:<port>/<database>`. */
  url(database?: string): string;
  /** A fresh, empty database; its URL. */
  database(): Promise<string>;
  /** Stops the server (fast shutdown: every connection is cut); the data stays. */
  pause(): Promise<void>;
  /** Starts it again on the same port, with the same data. */
  resume(): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

interface Runner {
  readonly uid: number;
  readonly gid: number;
}

/**
 * Starts a throwaway PostgreSQL cluster: `initdb` in a temporary directory, then `pg_ctl start` on a
 * free loopback port (TCP only, no Unix socket), settings for speed over durability (fsync off). As
 * root it runs as the `postgres` user (else `nobody`): PostgreSQL refuses to run as root. No shell
 * command is built: every program gets its arguments as a list.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const runner = unprivileged();
  const dir = mkdtempSync(join(tmpdir(), "repin-postgres-"));
  const data = join(dir, "data");
  const logFile = join(dir, "server.log");
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const as = runner ? { uid: runner.uid, gid: runner.gid } : {};
  if (runner) chownSync(dir, runner.uid, runner.gid);
  const pwfile = join(dir, "pwfile");
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (runner) chownSync(pwfile, runner.uid, runner.gid);
  const bin = (name: string) => join(POSTGRES_BIN, name);
  const ctl = (args: string[]) => run(bin("pg_ctl"), ["-D", data, ...args], { ...as, env: childEnv() });
  let port = 0;
  try {
    await run(
      bin("initdb"),
      ["-D", data, "-U", "repin", `--pwfile=${pwfile}`, "-A", "scram-sha-256", "--no-sync", "-E", "UTF8"],
      { ...as, env: childEnv() },
    );
    rmSync(pwfile);
    const base = readFileSync(join(data, "postgresql.conf"), "utf8");
    for (let attempt = 0; attempt < 5 && port === 0; attempt++) {
      const candidate = await freePort();
      writeFileSync(join(data, "postgresql.conf"), base);
      appendFileSync(join(data, "postgresql.conf"), settings(candidate));
      try {
        await ctl(["-l", logFile, "-w", "-t", "30", "start"]);
        port = candidate;
      } catch {
        // Another process took the port meanwhile: try the next one.
      }
    }
    if (port === 0) throw new Error(`PostgreSQL did not start:\n${tail(logFile)}`);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  // A test process that dies without stopping it leaves no server behind.
  const onExit = () => {
    stopNow(data, as);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  let databases = 0;
  const url = (database = "postgres") => `postgres://repin:${password}@127.0.0.1:${port}/${database}`;
  return {
    host: "127.0.0.1",
    port,
    password,
    url,
    async database() {
      const name = `t${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async pause() {
      await ctl(["-m", "fast", "-w", "stop"]);
    },
    async resume() {
      await ctl(["-l", logFile, "-w", "-t", "30", "start"]);
    },
    async stop() {
      process.removeListener("exit", onExit);
      if (existsSync(join(data, "postmaster.pid"))) await ctl(["-m", "immediate", "-w", "stop"]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function settings(port: number): string {
  return [
    "",
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    "unix_socket_directories = ''",
    "max_connections = 300",
    "shared_buffers = 32MB",
    "fsync = off",
    "synchronous_commit = off",
    "full_page_writes = off",
    "log_min_messages = warning",
    "",
  ].join("\n");
}

/** The user PostgreSQL runs as when this process is root: `postgres` if it exists, else `nobody`. */
function unprivileged(): Runner | null {
  if (process.getuid?.() !== 0) return null;
  const users = readFileSync("/etc/passwd", "utf8").split("\n");
  for (const name of ["postgres", "nobody"]) {
    const fields = users.find((line) => line.startsWith(`${name}:`))?.split(":");
    if (fields) return { uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  throw new Error("running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as");
}

function childEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, LANG: "C.UTF-8", LC_ALL: "C.UTF-8", TZ: "UTC" };
}

function stopNow(data: string, as: { uid?: number; gid?: number }): void {
  try {
    execFileSync(join(POSTGRES_BIN, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], {
      ...as,
      env: childEnv(),
      stdio: "ignore",
    });
  } catch {
    // already stopped
  }
}

function tail(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").slice(-10).join("\n") : "(no log)";
}
