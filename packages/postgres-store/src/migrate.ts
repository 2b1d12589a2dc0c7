import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { MigrationError, PgqrsError } from "@pgqrs/core";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { connectFailure, describeQueryError, isConnectionFailure, unwrapDriverError } from "./connection-errors";
import { parseDatabaseUrl } from "./database-url";
import type { Database } from "./statement";

/** Where pgqrs keeps its migration journal: a schema of its own, never the host application's `drizzle` journal. */
export const migrationsSchema = "pgqrs_migrations";
/** The journal table in {@link migrationsSchema}: one row per applied migration (hash, created_at). */
export const migrationsTable = "journal";

/** `pg_advisory_lock` key held while migrating, so concurrent workers migrate one at a time (and so, once). */
const migrationLockKey = 7_461_001;

/**
 * The shipped `drizzle/` folder. `src/migrate.ts` and the built `dist/index.js` both sit one level below the
 * package root, so the same relative URL finds it from either.
 */
export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/** What {@link migrate} applies to: a URL, a `pg` pool, or a PGlite instance. */
export type MigrateTarget = string | { pool: pg.Pool } | { pglite: PGlite };

/** The outcome of {@link migrate}. */
export interface MigrationResult {
  /** Tags (file names without `.sql`) of the migrations this call applied, oldest first; empty when up to date. */
  applied: string[];
}

interface JournalEntry {
  tag: string;
  when: number;
}

function journalEntries(): JournalEntry[] {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8")) as { entries: JournalEntry[] };
  return journal.entries;
}

/** In-process queue per pool / PGlite instance: PGlite is one session, where an advisory lock does not exclude. */
const running = new WeakMap<object, Promise<unknown>>();

function serialized<T>(key: object, task: () => Promise<T>): Promise<T> {
  const previous = running.get(key) ?? Promise.resolve();
  const next = previous.then(task, task);
  running.set(
    key,
    next.catch(() => undefined),
  );
  return next;
}

function rowsOf(result: unknown): Record<string, unknown>[] {
  return (result as { rows: Record<string, unknown>[] }).rows;
}

/** Runs drizzle's migrator under the advisory lock on one session and reports what it applied. */
async function migrateOn(db: Database, run: () => Promise<void>): Promise<MigrationResult> {
  await db.execute(sql`select pg_advisory_lock(${migrationLockKey})`);
  try {
    const journal = `${migrationsSchema}.${migrationsTable}`;
    const exists = rowsOf(await db.execute(sql`select to_regclass(${journal}) is not null as present`))[0];
    let last = -Infinity;
    if (exists?.present === true) {
      const row = rowsOf(
        await db.execute(sql`select max(created_at)::float8 as last from ${sql.identifier(migrationsSchema)}.${sql.identifier(migrationsTable)}`),
      )[0];
      if (typeof row?.last === "number") last = row.last;
    }
    // drizzle applies every migration newer than the newest journal row; report the same set.
    const applied = journalEntries()
      .filter((entry) => entry.when > last)
      .map((entry) => entry.tag);
    await run();
    return { applied };
  } finally {
    // A broken session has lost the lock anyway; never let the unlock hide the real error.
    await db.execute(sql`select pg_advisory_unlock(${migrationLockKey})`).catch(() => undefined);
  }
}

function migrationFailure(error: unknown): unknown {
  if (PgqrsError.isInstance(error)) return error;
  const cause = unwrapDriverError(error);
  if (isConnectionFailure(cause)) return describeQueryError(cause);
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new MigrationError(
    `applying the pgqrs migrations failed (${detail}); nothing of the failed migration was kept. Check that the ` +
      `database user may create schemas and tables, then start again`,
    { cause },
  );
}

const config = { migrationsFolder, migrationsSchema, migrationsTable };

async function migratePg(client: pg.PoolClient | pg.Client): Promise<MigrationResult> {
  const db = drizzle({ client });
  return migrateOn(db as unknown as Database, () => migrateNodePg(db, config));
}

/**
 * Applies pgqrs's migrations (the drizzle-kit SQL shipped in `drizzle/`) and returns what it applied. Safe to call
 * from many processes at once: it holds `pg_advisory_lock` on one dedicated connection, so each migration is
 * applied exactly once. Tables go to the `pgqrs` schema, the journal to `pgqrs_migrations.journal`.
 *
 * @throws ConnectionError when a URL cannot be connected to (the message never holds the password).
 * @throws MigrationError when a migration fails.
 */
export async function migrate(target: MigrateTarget): Promise<MigrationResult> {
  if (typeof target === "string") {
    const url = parseDatabaseUrl(target);
    const client = new pg.Client({ connectionString: target });
    client.on("error", () => undefined);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw connectFailure(error, url);
    }
    try {
      return await migratePg(client);
    } catch (error) {
      throw migrationFailure(error);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if ("pool" in target) {
    const pool = target.pool;
    return serialized(pool, async () => {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw migrationFailure(error);
      }
      // A checked-out client has no pool listener: a connection error between statements must not crash.
      const ignore = () => undefined;
      client.on("error", ignore);
      let failed = false;
      try {
        return await migratePg(client);
      } catch (error) {
        failed = true;
        throw migrationFailure(error);
      } finally {
        client.off("error", ignore);
        // After a failure the session may be broken or still hold the lock: discard it rather than pool it.
        client.release(failed);
      }
    });
  }
  const pglite = target.pglite;
  return serialized(pglite, async () => {
    try {
      const [{ drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
        import("drizzle-orm/pglite"),
        import("drizzle-orm/pglite/migrator"),
      ]);
      const db = drizzlePglite({ client: pglite });
      return await migrateOn(db as unknown as Database, () => migratePglite(db, config));
    } catch (error) {
      throw migrationFailure(error);
    }
  });
}
