/**
 * A fresh database per scenario: created on the server under test, migrated with pgqrs's own `migrate()`, given
 * the audit table the workflows' steps append to, and dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import { migrate } from "@pgqrs/postgres-store";
import pg from "pg";
import { auditSchemaSql } from "./audit";
import { adminUrl, secret, withDatabase, withPassword } from "./settings";
import { sleep } from "./sleep";

/** A scenario's database. */
export interface ScenarioDatabase {
  name: string;
  /** For the suite's own connections (no password). */
  url: string;
  /** For workers and the pgqrs API: carries the suite's secret as password (the server ignores it). */
  secretUrl: string;
  /** Drops the database, ending every connection still open to it. */
  drop(): Promise<void>;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The prefix of every database the suite creates; leftovers of an interrupted run are dropped at the next start. */
const databasePrefix = "pgqrs_chaos_";

/**
 * Checks the server answers, and drops databases an interrupted earlier run left behind.
 * @throws Error saying where the suite looked, when the server does not answer
 */
export async function prepareServer(): Promise<string[]> {
  try {
    return await withAdmin(async (client) => {
      const { rows } = await client.query<{ name: string }>("select datname as name from pg_database where starts_with(datname, $1)", [databasePrefix]);
      for (const row of rows) await client.query(`drop database if exists "${row.name}" with (force)`);
      return rows.map((row) => row.name);
    });
  } catch (error) {
    const { host } = new URL(adminUrl);
    throw new Error(`PostgreSQL does not answer at ${host}: start it, or point PGQRS_TEST_DATABASE_URL at a server`, { cause: error });
  }
}

/** Creates, migrates and prepares a database named after `label`. */
export async function createScenarioDatabase(label: string): Promise<ScenarioDatabase> {
  const name = `${databasePrefix}${label.replace(/[^a-z0-9]/gi, "_").toLowerCase()}_${randomBytes(3).toString("hex")}`;
  await withAdmin((client) => client.query(`create database "${name}"`));
  const url = withDatabase(adminUrl, name);
  await migrate(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(auditSchemaSql);
  } finally {
    await client.end();
  }
  return {
    name,
    url,
    secretUrl: withPassword(url, secret),
    drop: async () => {
      if (process.env.PGQRS_CHAOS_KEEP === "1") return;
      await withAdmin((client) => client.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

/** The suite's read-and-inspect connection to a scenario database; queries retry while the server restarts. */
export interface Monitor {
  query<TRow extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<TRow[]>;
  close(): Promise<void>;
}

/** Opens a small pool on `url`; each query is retried for up to `retryForMs` when the connection fails. */
export function createMonitor(url: string, options: { max?: number; retryForMs?: number } = {}): Monitor {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 2, connectionTimeoutMillis: 5_000 });
  pool.on("error", () => undefined);
  const retryForMs = options.retryForMs ?? 60_000;
  return {
    async query<TRow extends pg.QueryResultRow>(text: string, values?: unknown[]) {
      const deadline = Date.now() + retryForMs;
      for (;;) {
        try {
          return (await pool.query<TRow>(text, values)).rows;
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          // Only connection trouble is retried; a wrong query fails at once.
          const connection = typeof code !== "string" || code.startsWith("57P") || code.startsWith("08") || code === "53300";
          if (!connection || Date.now() > deadline) throw error;
          await sleep(200);
        }
      }
    },
    close: () => pool.end(),
  };
}
