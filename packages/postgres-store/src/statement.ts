import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { PgDatabase, PgPreparedQuery, PgQueryResultHKT, PreparedQueryConfig } from "drizzle-orm/pg-core";
import { fillPlaceholders } from "drizzle-orm/sql";
import type { Query } from "drizzle-orm/sql";
import { PgqrsError } from "@pgqrs/core";
import { describeQueryError } from "./connection-errors";
import type { DirectExecutor } from "./pglite-statement";

/** A drizzle database over `pg` (node-postgres) or PGlite; every query goes through its session. */
export type Database = PgDatabase<PgQueryResultHKT>;

/** One result row, column name to driver value. */
export type Row = Record<string, unknown>;

/** A statement built once at module load: its name (for server-side prepared statements) and its SQL. */
export interface Statement {
  readonly name: string;
  readonly query: Query;
}

/** How a store talks to its database. */
export interface Executor {
  readonly db: Database;
  /** Use named (server-side prepared) statements; off for poolers that cannot keep them (PgBouncer). */
  readonly preparedStatements: boolean;
  /** On PGlite outside a transaction: named statements on its wire protocol, which drizzle's driver cannot send. */
  readonly direct?: DirectExecutor;
}

const dialect = new PgDialect();

/**
 * Builds `query` into SQL text once. Values are drizzle placeholders (`sql.placeholder("runId")`), filled per call,
 * so on `pg` each connection parses and plans the statement once and later calls only bind and execute.
 */
export function defineStatement(name: string, query: SQL): Statement {
  return { name: `pgqrs_${name}`, query: dialect.sqlToQuery(query) };
}

const cache = new WeakMap<Database, Map<string, PgPreparedQuery<PreparedQueryConfig>>>();

function prepared(executor: Executor, statement: Statement): PgPreparedQuery<PreparedQueryConfig> {
  let byName = cache.get(executor.db);
  if (!byName) {
    byName = new Map();
    cache.set(executor.db, byName);
  }
  let query = byName.get(statement.name);
  if (!query) {
    const name = executor.preparedStatements ? statement.name : undefined;
    query = executor.db._.session.prepareQuery(statement.query, undefined, name, false);
    byName.set(statement.name, query);
  }
  return query;
}

function rowsOf(result: unknown): Row[] {
  if (typeof result === "object" && result !== null && "rows" in result && Array.isArray(result.rows)) {
    return result.rows as Row[];
  }
  throw new Error("pgqrs: the database driver returned no rows array; is this a pg or PGlite drizzle database?");
}

/**
 * Runs a statement in one round trip and returns its rows. Driver errors come back unwrapped from drizzle's
 * `DrizzleQueryError` (whose message would repeat the parameters, i.e. user data); a lost or refused connection
 * becomes a `ConnectionError`.
 */
export async function execute(executor: Executor, statement: Statement, values: Record<string, unknown>): Promise<Row[]> {
  try {
    if (executor.direct && executor.preparedStatements) {
      return await executor.direct.run(statement, fillPlaceholders(statement.query.params, values));
    }
    return rowsOf(await prepared(executor, statement).execute(values));
  } catch (error) {
    throw describeQueryError(error);
  }
}

/** Runs SQL built at call time (rare paths with optional filters); unnamed, so never prepared server-side. */
export async function executeDynamic(executor: Executor, query: SQL): Promise<Row[]> {
  try {
    const built = dialect.sqlToQuery(query);
    return rowsOf(await executor.db._.session.prepareQuery(built, undefined, undefined, false).execute());
  } catch (error) {
    throw describeQueryError(error);
  }
}

/**
 * Runs `work` in one READ COMMITTED transaction on one connection, for the few paths whose statements must commit
 * together. Each statement inside takes a fresh snapshot (it sees what committed before it started), and row locks
 * are held until the commit; a thrown error rolls everything back.
 */
export async function inTransaction<T>(executor: Executor, work: (transaction: Executor) => Promise<T>): Promise<T> {
  try {
    return await executor.db.transaction(
      (tx) => work({ db: tx as unknown as Database, preparedStatements: executor.preparedStatements }),
      { isolationLevel: "read committed" },
    );
  } catch (error) {
    throw PgqrsError.isInstance(error) ? error : describeQueryError(error);
  }
}
