/**
 * Test-database helper: every Postgres test file gets a database of its own, cloned from a migrated
 * template with `CREATE DATABASE … TEMPLATE`, so files run in parallel and share no state.
 *
 * With `CI=true` an unreachable server is a failure, never a skip.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server tests run against; the database part names the admin database. */
export const adminUrl =
  process.env.PGQRS_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const lockKey = 7_461_002;

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Whether a PostgreSQL server answers at {@link adminUrl}. Under `CI=true` a server that does not answer
 * throws, so a CI run can never pass by skipping the Postgres suites.
 */
export async function postgresAvailable(): Promise<boolean> {
  try {
    await withAdmin(async (client) => client.query("select 1"));
    return true;
  } catch (error) {
    if (process.env.CI === "true" || process.env.CI === "1") {
      throw new Error(`CI=true and PostgreSQL does not answer at ${new URL(adminUrl).host}: start it first`, {
        cause: error,
      });
    }
    return false;
  }
}

export interface TestDatabase {
  /** Connection string of the new database. */
  url: string;
  /** The database's name. */
  name: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /**
   * Identifies the template's content (e.g. a hash of the migrations). A template whose key differs is
   * built anew by `prepare`.
   */
  templateKey?: string;
  /** Fills a new template database (e.g. runs the migrations). It MUST close its connections. */
  prepare?: (url: string) => Promise<void>;
}

/** Creates a fresh, uniquely named database, cloned from a prepared template when one is given. */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const name = `pgqrs_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withAdmin(async (client) => {
    // Serialise template builds and clones: CREATE DATABASE … TEMPLATE fails while another session
    // is connected to the template, and two processes could otherwise build the same template at once.
    await client.query("select pg_advisory_lock($1)", [lockKey]);
    try {
      if (options.prepare) {
        const template = `pgqrs_tpl_${(options.templateKey ?? "default").replace(/[^a-z0-9_]/gi, "").slice(0, 40)}`;
        const exists = await client.query("select 1 from pg_database where datname = $1", [template]);
        if (exists.rowCount === 0) {
          await client.query(`create database "${template}"`);
          try {
            await options.prepare(withDatabase(adminUrl, template));
          } catch (error) {
            await client.query(`drop database if exists "${template}" with (force)`);
            throw error;
          }
        }
        await client.query(`create database "${name}" template "${template}"`);
      } else {
        await client.query(`create database "${name}"`);
      }
    } finally {
      await client.query("select pg_advisory_unlock($1)", [lockKey]);
    }
  });
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: () => withAdmin(async (client) => void (await client.query(`drop database if exists "${name}" with (force)`))),
  };
}
