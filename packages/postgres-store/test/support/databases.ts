/**
 * Test helpers: a database per test file (cloned from a migrated template), and `advanceTime` for the
 * conformance suite, which on PostgreSQL moves every stored time back instead of moving `now()` forward.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { createTestDatabase } from "@pgqrs/vitest-config/postgres";
import type { TestDatabase } from "@pgqrs/vitest-config/postgres";
import pg from "pg";
import { migrate, migrationsFolder } from "../../src/migrate";

function filesUnder(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const path = join(folder, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

/** A hash of `drizzle/`: a new migration builds a new template database. */
export const templateKey = (() => {
  const hash = createHash("sha256");
  for (const file of filesUnder(migrationsFolder)) hash.update(file.slice(migrationsFolder.length)).update(readFileSync(file));
  return `pgqrs_${hash.digest("hex").slice(0, 16)}`;
})();

/** A fresh, migrated database of this test file's own. */
export function migratedDatabase(): Promise<TestDatabase> {
  return createTestDatabase({
    templateKey,
    prepare: async (url) => {
      await migrate(url);
    },
  });
}

const shiftStatements = [
  "update pgqrs.runs set visible_at = visible_at - $1::float8 * interval '1 millisecond', created_at = created_at - $1::float8 * interval '1 millisecond', started_at = started_at - $1::float8 * interval '1 millisecond', finished_at = finished_at - $1::float8 * interval '1 millisecond', cancel_requested_at = cancel_requested_at - $1::float8 * interval '1 millisecond'",
  "update pgqrs.messages set visible_at = visible_at - $1::float8 * interval '1 millisecond', created_at = created_at - $1::float8 * interval '1 millisecond', archived_at = archived_at - $1::float8 * interval '1 millisecond'",
  "update pgqrs.steps set completed_at = completed_at - $1::float8 * interval '1 millisecond'",
  "update pgqrs.workers set started_at = started_at - $1::float8 * interval '1 millisecond', last_seen_at = last_seen_at - $1::float8 * interval '1 millisecond', stopped_at = stopped_at - $1::float8 * interval '1 millisecond'",
  "update pgqrs.workflows set created_at = created_at - $1::float8 * interval '1 millisecond', paused_at = paused_at - $1::float8 * interval '1 millisecond'",
  "update pgqrs.events set sent_at = sent_at - $1::float8 * interval '1 millisecond'",
];

/** Something that runs a parameterised statement: a `pg` pool or client, or PGlite. */
export type Queryable = Pick<pg.Pool, "query"> | Pick<PGlite, "query">;

/**
 * Makes `ms` pass for the store: every stored time moves `ms` into the past, so against `now()` visibility
 * times, lease ends and pauses fall due exactly as if the clock had moved forward.
 */
export async function advanceTime(database: Queryable, ms: number): Promise<void> {
  for (const statement of shiftStatements) await (database.query as (text: string, values: unknown[]) => Promise<unknown>)(statement, [ms]);
}

/** Empties every pgqrs table (between tests that share one database). */
export async function truncateAll(database: Queryable): Promise<void> {
  await (database.query as (text: string) => Promise<unknown>)(
    "truncate pgqrs.events, pgqrs.steps, pgqrs.runs, pgqrs.messages, pgqrs.workers, pgqrs.workflows restart identity",
  );
}

/** A pool on `url` that never crashes the test process on an idle-connection error. */
export function testPool(url: string, max = 5): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on("error", () => undefined);
  return pool;
}

/**
 * Appends the text of every statement `pool` sends through `pool.query` to `into` (the store sends each statement
 * that way): its length counts round trips.
 */
export function recordStatements(pool: pg.Pool, into: string[]): void {
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) => {
    const config = args[0];
    into.push(typeof config === "string" ? config : String((config as { text?: unknown }).text));
    return query(...args);
  };
}
