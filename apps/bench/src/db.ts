import pg from "pg";

/**
 * The server every system runs against. Override with `BENCH_DATABASE_URL` (any database on the server; the bench
 * creates and drops its own databases next to it).
 */
export const baseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** The URL of database `name` on the bench server. */
export function databaseUrl(name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A connected client whose connection errors (a server restart, a terminated backend) fail its next query instead
 * of crashing the process as an unhandled `error` event.
 */
export async function connectClient(url: string): Promise<pg.Client> {
  // A shared server may be out of connection slots for a moment ("too many clients"): wait and try again.
  for (let attempt = 1; ; attempt += 1) {
    const client = new pg.Client({ connectionString: url });
    client.on("error", (error) => console.error(`bench: a database connection failed: ${error.message}`));
    try {
      await client.connect();
      return client;
    } catch (error) {
      if ((error as { code?: string }).code !== "53300" || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** A pool with the same care for idle connections that fail. */
export function createPool(url: string, max = 10, options?: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, ...(options ? { options } : {}) });
  pool.on("error", (error) => console.error(`bench: an idle database connection failed: ${error.message}`));
  return pool;
}

async function withAdmin<T>(task: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectClient(baseUrl);
  try {
    return await task(client);
  } finally {
    await client.end();
  }
}

function quoted(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bench: unexpected database name ${name}`);
  return `"${name}"`;
}

/** Drops (if present) and creates database `name`, empty or as a copy of `template`; returns its URL. */
export async function freshDatabase(name: string, template?: string): Promise<string> {
  await withAdmin(async (client) => {
    await client.query(`drop database if exists ${quoted(name)} with (force)`);
    await client.query(`create database ${quoted(name)}${template ? ` template ${quoted(template)}` : ""}`);
  });
  return databaseUrl(name);
}

/** Templates made in this run, by name: each system's schema is installed once and copied per scenario. */
const templates = new Map<string, Promise<string>>();

/**
 * A fresh database `name` holding what `install` sets up: the first call for `templateName` creates that template
 * and installs into it; every database is then a copy of it (CREATE DATABASE … TEMPLATE), which is much faster than
 * running a system's migrations again.
 */
export async function freshDatabaseFrom(args: { name: string; templateName: string; install: (url: string) => Promise<void> }): Promise<string> {
  let template = templates.get(args.templateName);
  if (!template) {
    template = freshDatabase(args.templateName).then(async (url) => {
      await args.install(url);
      return args.templateName;
    });
    templates.set(args.templateName, template);
  }
  return freshDatabase(args.name, await template);
}

/** Drops every template this run created. */
export async function dropTemplates(): Promise<void> {
  for (const name of templates.keys()) await dropDatabase(name);
  templates.clear();
}

/** Drops database `name`, closing whatever is still connected to it. */
export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((client) => client.query(`drop database if exists ${quoted(name)} with (force)`));
}

/** Waits (up to `timeoutMs`) until the server accepts connections and answers a query. */
export async function waitForServer(timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await withAdmin((client) => client.query("select 1"));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

/** The server's version string (`PostgreSQL 15.x …`). */
export async function serverVersion(): Promise<string> {
  return withAdmin(async (client) => {
    const result = await client.query<{ version: string }>("select version()");
    return result.rows[0]?.version ?? "unknown";
  });
}

/** Runs `task` with a connected client of `url`, then closes it. */
export async function withClient<T>(url: string, task: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectClient(url);
  try {
    return await task(client);
  } finally {
    await client.end();
  }
}

/** Reads a single count from `sql`. */
export async function countOf(client: pg.Client, sql: string, values: unknown[] = []): Promise<number> {
  const result = await client.query<{ n: string | number }>(sql, values);
  return Number(result.rows[0]?.n ?? 0);
}
